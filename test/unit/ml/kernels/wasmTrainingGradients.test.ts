// tf.grad of a MICRA-Net-shaped network (conv → batch norm → ReLU, fused conv + ReLU, max
// pools, global max pool, linear, BCE-with-logits) works end to end on wasm once the fast
// kernels are registered, and gives the cpu backend's gradients for every variable.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastWasmKernels, registerNodeGradients } from '../../../../src-main/core/ml/kernels';

interface Arrays {
  input: Float32Array;
  labels: Float32Array;
  weights: Float32Array[];
}

const shapes = {
  input: [2, 16, 16, 1],
  labels: [2, 3],
  weights: [[3, 3, 1, 4], [4], [4], [3, 3, 4, 6], [6], [6, 3], [3]],
} as const;

function arrays(seed: number): Arrays {
  let s = seed;
  const next = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const fill = (shape: readonly number[]): Float32Array => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next);
  return {
    input: fill(shapes.input).map((v) => v + 0.5),
    labels: Float32Array.from([1, 0, 1, 0, 1, 0]),
    weights: shapes.weights.map((shape) => fill(shape)),
  };
}

/** Loss and the gradient of every weight, computed on `backend`. */
async function gradients(backend: string, a: Arrays): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(a.input, shapes.input as unknown as [number, number, number, number]);
  const labels = tf.tensor2d(a.labels, [2, 3]);
  const weights = a.weights.map((w, i) => tf.tensor(w, shapes.weights[i] as unknown as number[]));
  const loss = (...ws: tf.Tensor[]): tf.Scalar => {
    const [k1, gamma, beta, k2, b2, dense, denseBias] = ws as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
    const conv1 = tf.conv2d(x, k1, 1, 'same');
    const { mean, variance } = tf.moments(conv1, [0, 1, 2]);
    const bn = tf.batchNorm(conv1, mean, variance, beta, gamma, 1e-5);
    const a1 = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, 'valid');
    const a2 = tf.fused.conv2d({ x: a1 as tf.Tensor4D, filter: k2, strides: 1, pad: 'same', bias: b2, activation: 'relu' });
    const pooled = tf.max(a2, [1, 2]);
    const logits = tf.add(tf.matMul(pooled, dense), denseBias);
    return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  };
  const grads = tf.grads(loss)(weights);
  const out = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose([x, labels, ...weights, ...grads]);
  return out;
}

describe('training gradients on wasm', () => {
  beforeAll(() => {
    registerNodeGradients();
    registerFastWasmKernels();
  });

  it('match the cpu backend for every variable and leak no tensors', async () => {
    const a = arrays(7);
    const expected = await gradients('cpu', a);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = await gradients('wasm', a);
    expect(tf.memory().numTensors).toBe(before);
    expect(actual).toHaveLength(expected.length);
    for (let v = 0; v < expected.length; v++) {
      const e = expected[v] as Float32Array;
      const g = actual[v] as Float32Array;
      const scale = Math.max(...Array.from(e, Math.abs));
      expect(scale).toBeGreaterThan(0);
      const worst = Math.max(...Array.from(e, (ev, i) => Math.abs(ev - (g[i] ?? NaN))));
      expect(worst / scale).toBeLessThanOrEqual(1e-4);
    }
  });
});
