// The wasm Sum/Mean fast path (per-channel reductions as a product with ones) against the cpu
// backend, its fallbacks, and Identity/Cast sharing data without breaking tensor semantics.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastWasmKernelsRegistered, registerFastWasmKernels } from '../../../../src-main/core/ml/kernels';
import { reducesLeadingAxes } from '../../../../src-main/core/ml/kernels/reduceLeadingAxesFast';

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.3;
  });
}

async function on(backend: string, f: () => tf.Tensor): Promise<{ data: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const t = tf.tidy(f);
  const out = { data: (await t.data()) as Float32Array, shape: t.shape };
  t.dispose();
  return out;
}

describe('wasm reductions and data-sharing kernels', () => {
  beforeAll(async () => {
    registerFastWasmKernels();
    await tf.setBackend('wasm');
  });

  it('are registered', () => expect(fastWasmKernelsRegistered()).toBe(true));

  it('recognise leading-axes reductions only', () => {
    expect(reducesLeadingAxes([2, 8, 8, 3], [0, 1, 2])).toBe(true);
    expect(reducesLeadingAxes([2, 8, 8, 3], [2, 0, 1])).toBe(true);
    expect(reducesLeadingAxes([2, 8, 8, 3], [-4, -3, -2])).toBe(true);
    expect(reducesLeadingAxes([2, 8, 8, 3], [1, 2])).toBe(false);
    expect(reducesLeadingAxes([2, 8, 8, 3], [0, 1, 2, 3])).toBe(false);
    expect(reducesLeadingAxes([5], 0)).toBe(false);
  });

  const cases: { shape: number[]; axes: number[]; keepDims: boolean }[] = [
    { shape: [2, 64, 48, 5], axes: [0, 1, 2], keepDims: false }, // fast path
    { shape: [3, 40, 40, 32], axes: [0, 1, 2], keepDims: true }, // fast path, keepDims
    { shape: [1000, 7], axes: [0], keepDims: false }, // fast path, rank 2
    { shape: [2, 6, 6, 4], axes: [0, 1, 2], keepDims: false }, // too small: stock
    { shape: [2, 64, 48, 5], axes: [1, 2], keepDims: false }, // other axes: stock
    { shape: [2, 64, 48, 5], axes: [3], keepDims: true }, // other axes: stock
  ];
  it.each(cases)('Sum and Mean of $shape over $axes (keepDims $keepDims) match cpu', async ({ shape, axes, keepDims }) => {
    const data = values(shape.reduce((a, b) => a * b, 1), shape.length * 31 + axes.length);
    const rows = axes.reduce((a, i) => a * (shape[i] as number), 1);
    for (const op of [tf.sum, tf.mean]) {
      const expected = await on('cpu', () => op(tf.tensor(data, shape), axes, keepDims));
      const actual = await on('wasm', () => op(tf.tensor(data, shape), axes, keepDims));
      expect(actual.shape).toEqual(expected.shape);
      // Error relative to the sum of magnitudes each output adds up (the scale of rounding).
      const tolerance = 1e-5 * (op === tf.sum ? rows : 1);
      expected.data.forEach((e, i) => expect(Math.abs((actual.data[i] as number) - e)).toBeLessThan(tolerance));
    }
  });

  it('share data for Identity and same-dtype Cast, copy for real casts, and free it once', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor([1.5, -2.25, 3], [3]);
    const clone = tf.clone(x);
    const same = tf.cast(x, 'float32');
    const asInt = tf.cast(x, 'int32');
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(2); // x's data once, plus the int32 copy
    x.dispose();
    expect(Array.from(await clone.data())).toEqual([1.5, -2.25, 3]);
    clone.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2.25, 3]);
    expect(Array.from(await asInt.data())).toEqual([1, -2, 3]);
    tf.dispose([same, asInt]);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.memory().numTensors).toBe(before.numTensors);
  });
});
