// The gradients registered for Node are right: directional derivatives of a MICRA-Net-shaped
// loss (conv, batch norm with batch statistics, ReLU, max pools, global max, matMul, sigmoid
// cross-entropy, dropout-style mask) agree with central finite differences (float32, cpu
// backend; a step small enough that the ReLU and max kinks are not crossed).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_GRADIENT_KERNELS, registerNodeGradients } from '../../../../src-main/core/ml/kernels';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

const shapes: number[][] = [[3, 3, 2, 4], [4], [4], [4], [3, 3, 4, 5], [5], [5, 3], [3]];

function loss(x: tf.Tensor4D, labels: tf.Tensor2D, mask: tf.Tensor2D, ws: tf.Tensor[]): tf.Scalar {
  const [k1, b1, gamma, beta, k2, b2, dense, denseBias] = ws as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  const y1 = tf.add(tf.conv2d(x, k1, 1, 'same'), b1) as tf.Tensor4D;
  const { mean, variance } = tf.moments(y1, [0, 1, 2]);
  const a1 = tf.relu(tf.batchNorm(y1, mean, variance, beta, gamma, 1e-5)) as tf.Tensor4D;
  const p1 = tf.maxPool(a1, 2, 2, 'valid');
  const a2 = tf.relu(tf.add(tf.conv2d(p1, k2, [2, 1], [[0, 0], [1, 0], [1, 1], [0, 0]]), b2)) as tf.Tensor4D;
  const feat = tf.div(tf.mul(tf.max(a2, [1, 2]), mask), 0.5);
  const logits = tf.add(tf.matMul(feat, dense), denseBias);
  return tf.add(tf.losses.sigmoidCrossEntropy(labels, logits), tf.mul(tf.mean(tf.square(dense)), 0.1)) as tf.Scalar;
}

describe('gradients registered for Node', () => {
  beforeAll(async () => {
    registerNodeGradients();
    registerNodeGradients();
    await tf.setBackend('cpu');
  });

  it('cover the kernels a MICRA-Net training step records', () => {
    for (const name of ['Conv2D', 'FusedBatchNorm', 'MaxPool', 'Max', 'BatchMatMul', 'Relu', 'Add', 'Sub', 'Multiply', 'RealDiv', 'Mean', 'Sum', 'Reshape', 'Cast', 'Exp', 'Log1p', 'Abs', 'Neg', 'Square', 'Floor']) {
      expect(NODE_GRADIENT_KERNELS).toContain(name);
      expect(tf.getGradient(name)).toBeDefined();
    }
  });

  it('agree with central finite differences along random directions', () => {
    const rand = lcg(3);
    const fill = (shape: number[], scale = 1): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * scale), shape);
    const x = tf.add(fill([2, 8, 8, 2]), 0.5) as tf.Tensor4D;
    const labels = tf.tensor2d([1, 0, 1, 0, 0, 1], [2, 3]);
    const mask = tf.tensor2d([1, 0, 1, 1, 1, 0, 1, 1, 0, 1], [2, 5]);
    const weights = shapes.map((s) => fill(s, 1));
    const grads = tf.grads((...ws: tf.Tensor[]) => loss(x, labels, mask, ws))(weights);
    for (let trial = 0; trial < 3; trial++) {
      const dirs = shapes.map((s) => fill(s, 2));
      const analytic = grads.reduce((acc, g, i) => acc + tf.sum(tf.mul(g, dirs[i] as tf.Tensor)).dataSync()[0]!, 0);
      const h = 2e-3;
      const at = (t: number): number =>
        tf.tidy(() => loss(x, labels, mask, weights.map((w, i) => tf.add(w, tf.mul(dirs[i] as tf.Tensor, t)))).dataSync()[0]!);
      const numeric = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
      expect(Math.abs(numeric - analytic) / Math.abs(analytic)).toBeLessThan(1e-3);
      tf.dispose(dirs);
    }
    tf.dispose([x, labels, mask, ...weights, ...grads]);
  });
});
