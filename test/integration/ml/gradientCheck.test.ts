// Gradient check of the whole network, binary cross-entropy loss, in eval mode (running
// statistics) and training mode (batch-norm batch statistics, dropout with a fixed mask): the
// wasm backend (with the engine's fast backward kernels) against the cpu backend for every
// trainable variable, and the cpu gradient against a central finite difference along a random
// direction.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNodeGradients } from '../../../src-main/core/ml/kernels';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { useBackend } from './tfBackends';

const SHAPE: [number, number, number, number] = [3, 16, 24, 1];

type Mode = 'train' | 'eval';

function loss(net: MicraNet, x: tf.Tensor4D, labels: tf.Tensor2D, mode: Mode): tf.Scalar {
  const logits =
    mode === 'train' ? net.forwardTrain(x, { dropoutSeed: 42, updateRunningStats: false }) : net.forwardWithActivations(x).logits;
  return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
}

function gradients(net: MicraNet, input: Float32Array, labelValues: Float32Array, mode: Mode = 'train'): { value: number; grads: Float32Array[] } {
  const x = tf.tensor4d(input, SHAPE);
  const labels = tf.tensor2d(labelValues, [SHAPE[0], 2]);
  const vars = net.trainableVariables('all');
  const { value, grads } = tf.variableGrads(() => loss(net, x, labels, mode), vars);
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

  it.each(['eval', 'train'] as const)('agree between the wasm and cpu backends for every variable (%s mode)', async (mode) => {
    await useBackend('cpu');
    const cpu = gradients(net, input, labels, mode);
    await useBackend('wasm');
    const wasm = gradients(net, input, labels, mode);
    await useBackend('cpu');
    expect(Math.abs(wasm.value - cpu.value)).toBeLessThan(1e-5 * Math.abs(cpu.value) + 1e-6);
    const largest = Math.max(...cpu.grads.map(norm));
    const names = net.trainableVariables('all').map((v) => [...net.variables].find(([, w]) => w === v)?.[0]);
    cpu.grads.forEach((g, i) => {
      const diff = norm(g.map((v, j) => v - ((wasm.grads[i] as Float32Array)[j] as number)));
      // Relative to the variable's own gradient; conv biases (cancelled by batch norm) have a
      // gradient that is zero up to rounding, so they are held to the largest norm instead.
      expect(diff, `${names[i]}: |Δ|=${diff}, |g|=${norm(g)}`).toBeLessThanOrEqual(1e-3 * norm(g) + 1e-5 * largest);
    });
  });

  it('match a central finite difference of the loss for the head parameters (cpu)', async () => {
    // Over the whole network a float32 finite difference is dominated by ReLU/max-pool switches;
    // the last batch norm and the linear layer are smooth enough for a tight check.
    await useBackend('cpu');
    const all = net.trainableVariables('all');
    const { grads } = gradients(net, input, labels);
    const headNames = ['bnorm4a.weight', 'bnorm4a.bias', 'bnorm4b.weight', 'bnorm4b.bias', 'linear1.weight', 'linear1.bias'];
    const head = headNames.map((n) => net.variables.get(n) as tf.Variable);
    const headGrads = head.map((v) => grads[all.indexOf(v)] as Float32Array);
    let seed = 1;
    const dirs = head.map((v) => Float32Array.from(tf.randomNormal(v.shape, 0, 1, 'float32', seed++).dataSync()));
    const predicted = headGrads.reduce((s, g, i) => s + g.reduce((t, v, j) => t + v * ((dirs[i] as Float32Array)[j] as number), 0), 0);
    const originals = head.map((v) => Float32Array.from(v.dataSync()));
    const eps = 1e-3;
    const lossAt = (t: number): number => {
      head.forEach((v, i) => {
        const o = originals[i] as Float32Array;
        const d = dirs[i] as Float32Array;
        v.assign(tf.tensor(o.map((val, j) => val + t * (d[j] as number)), v.shape));
      });
      return tf.tidy(() => {
        const x = tf.tensor4d(input, SHAPE);
        return loss(net, x, tf.tensor2d(labels, [SHAPE[0], 2]), 'train').dataSync()[0] as number;
      });
    };
    const numeric = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
    lossAt(0);
    expect(Math.abs(predicted)).toBeGreaterThan(0.1);
    expect(Math.abs(numeric - predicted)).toBeLessThan(0.01 * Math.abs(predicted));
  });
});
