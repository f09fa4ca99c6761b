import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Gives batch norm non-trivial statistics so folding and unfolding are really exercised. */
function randomiseBatchNorm(net: MicraNet): void {
  let seed = 100;
  for (const [name, v] of net.variables) {
    if (name.endsWith('running_mean')) v.assign(tf.randomUniform(v.shape, -0.2, 0.2, 'float32', seed++));
    if (name.endsWith('running_var')) v.assign(tf.randomUniform(v.shape, 0.5, 2, 'float32', seed++));
    if (name.startsWith('bnorm') && name.endsWith('.weight')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed++));
    if (name.startsWith('bnorm') && name.endsWith('.bias')) v.assign(tf.randomUniform(v.shape, -0.1, 0.1, 'float32', seed++));
  }
}

describe('MicraNet', () => {
  it('gives the same logits on the fused inference path and the unfused one', () => {
    const net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 1 });
    randomiseBatchNorm(net);
    const x = tf.randomUniform([2, 24, 16, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const fused = net.predict(x);
    const { logits, activations } = net.forwardWithActivations(x);
    expect(fused.shape).toEqual([2, 2]);
    const a = fused.dataSync();
    const b = logits.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 4);
    expect(activations.map((t) => t.shape)).toEqual([
      [2, 24, 16, 32], [2, 24, 16, 32], [2, 12, 8, 64], [2, 12, 8, 64],
      [2, 6, 4, 128], [2, 6, 4, 128], [2, 3, 2, 256], [2, 3, 2, 256],
    ]);
    expect(activations.every((t) => tf.min(t).dataSync()[0] as number >= 0)).toBe(true);
    tf.dispose([fused, logits, ...activations, x]);
    net.dispose();
  });

  it('updates running statistics like PyTorch (momentum 0.1, unbiased variance)', () => {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 3 });
    const h = 8;
    const w = 8;
    const input = new Float32Array(2 * h * w).map((_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
    const x = tf.tensor4d(input, [2, h, w, 1]);
    // conv1a by hand (zero padding 1) for output channel 4.
    const k = net.variables.get('conv1a.weight')?.dataSync() as Float32Array; // [3,3,1,32]
    const bias = (net.variables.get('conv1a.bias')?.dataSync() as Float32Array)[4] as number;
    const outs: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          let s = bias;
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = y + ky - 1;
              const ix = xx + kx - 1;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) s += (input[(n * h + iy) * w + ix] as number) * (k[(ky * 3 + kx) * 32 + 4] as number);
            }
          outs.push(s);
        }
    const mean = outs.reduce((a, b) => a + b, 0) / outs.length;
    const unbiased = outs.reduce((a, b) => a + (b - mean) ** 2, 0) / (outs.length - 1);
    tf.dispose(net.forwardTrain(x, { dropoutSeed: 1 }));
    expect(net.variables.get('bnorm1a.running_mean')?.dataSync()[4]).toBeCloseTo(0.1 * mean, 6);
    expect(net.variables.get('bnorm1a.running_var')?.dataSync()[4]).toBeCloseTo(0.9 + 0.1 * unbiased, 6);
    const before = Array.from(net.variables.get('bnorm4b.running_mean')?.dataSync() ?? []);
    tf.dispose(net.forwardTrain(x, { updateRunningStats: false }));
    expect(Array.from(net.variables.get('bnorm4b.running_mean')?.dataSync() ?? [])).toEqual(before);
    x.dispose();
    net.dispose();
  });

  it('applies dropout in training mode only, reproducibly with a seed', () => {
    const net = createMicraNet({ inChannels: 1, numClasses: 4, seed: 9 });
    const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const run = (seed: number): number[] => {
      const t = net.forwardTrain(x, { dropoutSeed: seed, updateRunningStats: false });
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    x.dispose();
    net.dispose();
  });

  it('selects trainable variables per fine-tuning mode and validates inputs', () => {
    const net = createMicraNet({ inChannels: 3, numClasses: 2, seed: 1 });
    expect(net.trainableVariables('all')).toHaveLength(8 * 4 + 2);
    expect(net.trainableVariables('linear')).toHaveLength(2);
    expect(net.trainableVariables('linear+4')).toHaveLength(2 * 4 + 2);
    expect(net.trainableVariables('linear+3-4')).toHaveLength(4 * 4 + 2);
    expect(net.trainableVariables('linear+4')).toContain(net.variables.get('conv4a.weight'));
    expect(net.trainableVariables('linear+4')).not.toContain(net.variables.get('conv3b.weight'));
    const bad = tf.zeros([1, 12, 16, 3]) as tf.Tensor4D;
    expect(() => net.predict(bad)).toThrow(/multiple of 8/);
    const wrongChannels = tf.zeros([1, 16, 16, 1]) as tf.Tensor4D;
    expect(() => net.predict(wrongChannels)).toThrow(/1 channels, the model expects 3/);
    tf.dispose([bad, wrongChannels]);
    net.dispose();
    expect(() => net.predict(bad)).toThrow(/disposed/);
  });
});
