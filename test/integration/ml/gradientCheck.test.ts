// Gradient check of the whole network in training mode (batch-norm batch statistics, dropout
// with a fixed mask, binary cross-entropy): the wasm backend (with the engine's fast backward
// kernels) against the cpu backend for every trainable variable, and the cpu gradient against a
// central finite difference along a random direction.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNodeGradients } from '../../../src-main/core/ml/kernels';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { useBackend } from './tfBackends';

const SHAPE: [number, number, number, number] = [3, 16, 24, 1];

function loss(net: MicraNet, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const logits = net.forwardTrain(x, { dropoutSeed: 42, updateRunningStats: false });
  return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
}

function gradients(net: MicraNet, input: Float32Array, labelValues: Float32Array): { value: number; grads: Float32Array[] } {
  const x = tf.tensor4d(input, SHAPE);
  const labels = tf.tensor2d(labelValues, [SHAPE[0], 2]);
  const vars = net.trainableVariables('all');
  const { value, grads } = tf.variableGrads(() => loss(net, x, labels), vars);
  const out = vars.map((v) => Float32Array.from((grads[v.name] as tf.Tensor).dataSync()));
  const v = value.dataSync()[0] as number;
  tf.dispose([x, labels, value, ...Object.values(grads)]);
  return { value: v, grads: out };
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) ** 2;
  return Math.sqrt(s);
}

describe('MICRA-Net gradients', () => {
  let net: MicraNet;
  const input = new Float32Array(SHAPE.reduce((a, b) => a * b)).map((_, i) => 0.5 + 0.5 * Math.sin(i * 0.731) * Math.cos(i * 0.113));
  const labels = Float32Array.from([1, 0, 0, 1, 1, 1]);

  beforeAll(async () => {
    registerNodeGradients();
    await useBackend('cpu');
    net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 21 });
  });
  afterAll(() => net.dispose());

  it('agree between the wasm and cpu backends for every variable', async () => {
    await useBackend('cpu');
    const cpu = gradients(net, input, labels);
    await useBackend('wasm');
    const wasm = gradients(net, input, labels);
    await useBackend('cpu');
    expect(Math.abs(wasm.value - cpu.value)).toBeLessThan(1e-5 * Math.abs(cpu.value) + 1e-6);
    const largest = Math.max(...cpu.grads.map(norm));
    const names = net.trainableVariables('all').map((v) => [...net.variables].find(([, w]) => w === v)?.[0]);
    const report: string[] = [];
    cpu.grads.forEach((g, i) => {
      const diff = norm(g.map((v, j) => v - ((wasm.grads[i] as Float32Array)[j] as number)));
      // Relative to the variable's own gradient; conv biases (cancelled by batch norm) have a
      // gradient that is zero up to rounding, so they are held to the largest norm instead.
      report.push(`${names[i]}: ${(diff / norm(g)).toExponential(2)}`);
      expect(diff, `${names[i]}: |Δ|=${diff}, |g|=${norm(g)}`).toBeLessThanOrEqual(1e-3 * norm(g) + 1e-5 * largest);
    });
  });

  it('match a central finite difference of the loss (cpu)', async () => {
    await useBackend('cpu');
    const vars = net.trainableVariables('all');
    const { grads } = gradients(net, input, labels);
    // A random direction over all parameters.
    let seed = 1;
    const dirs = vars.map((v) => {
      const d = tf.randomNormal(v.shape, 0, 1, 'float32', seed++).dataSync() as Float32Array;
      return Float32Array.from(d);
    });
    const predicted = grads.reduce((s, g, i) => s + g.reduce((t, v, j) => t + v * ((dirs[i] as Float32Array)[j] as number), 0), 0);
    const originals = vars.map((v) => Float32Array.from(v.dataSync()));
    // Small enough that ReLU/max-pool switches stay rare, large enough for float32 rounding.
    const eps = 1e-4;
    const lossAt = (t: number): number => {
      vars.forEach((v, i) => {
        const o = originals[i] as Float32Array;
        const d = dirs[i] as Float32Array;
        v.assign(tf.tensor(o.map((val, j) => val + t * (d[j] as number)), v.shape));
      });
      return gradients(net, input, labels).value;
    };
    const numeric = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
    lossAt(0);
    expect(Math.abs(numeric - predicted)).toBeLessThan(0.05 * Math.abs(predicted));
  });
});
