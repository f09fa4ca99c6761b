// The fast wasm backward convolutions against the cpu backend's reference kernels, on random
// shapes, strides, paddings, channel counts and batch sizes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastWasmKernelsRegistered, registerFastWasmKernels } from '../../../../src-main/core/ml/kernels';
import { mulberry32 } from '../../../../src-main/core/ml/training/seededRandom';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  strides: [number, number];
  pad: Pad;
}


function randomArray(rand: () => number, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rand() * 2 - 1;
  return out;
}

function convOutShape(c: Case): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    [c.batch, c.height, c.width, c.inChannels],
    [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels],
    c.strides, 1, c.pad,
  );
  return info.outShape;
}

/** Runs one kernel on `backend` with fresh tensors made from the given arrays. */
async function runOn(
  backend: string,
  kernelName: string,
  inputs: Record<string, { data: Float32Array; shape: number[] }>,
  attrs: object,
): Promise<{ data: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(inputs)) tensors[name] = tf.tensor(v.data, v.shape);
  const before = tf.memory().numTensors;
  const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const data = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  for (const t of Object.values(tensors)) t.dispose();
  return { data, shape };
}

/** Largest absolute difference, relative to the reference's largest magnitude. */
function relativeMaxError(actual: Float32Array, expected: Float32Array): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)) || (Number.isNaN(actual[i]) ? Infinity : 0));
    maxRef = Math.max(maxRef, Math.abs(expected[i] ?? 0));
  }
  return maxDiff / Math.max(maxRef, 1e-12);
}

const fixedCases: Case[] = [
  // The MICRA-Net layers: 3×3, stride 1, 'same' (and the explicit padding 1 of PyTorch).
  { batch: 2, height: 16, width: 16, inChannels: 1, outChannels: 32, kernel: [3, 3], strides: [1, 1], pad: 'same' },
  { batch: 3, height: 12, width: 10, inChannels: 8, outChannels: 16, kernel: [3, 3], strides: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { batch: 1, height: 9, width: 11, inChannels: 4, outChannels: 5, kernel: [3, 3], strides: [1, 1], pad: 'valid' },
  // Strides, uneven sizes, asymmetric and over-sized explicit paddings, non-square kernels.
  { batch: 2, height: 15, width: 14, inChannels: 3, outChannels: 6, kernel: [3, 3], strides: [2, 2], pad: 'same' },
  { batch: 2, height: 15, width: 13, inChannels: 5, outChannels: 4, kernel: [3, 2], strides: [2, 1], pad: 'valid' },
  { batch: 1, height: 10, width: 12, inChannels: 2, outChannels: 3, kernel: [5, 3], strides: [1, 2], pad: [[0, 0], [0, 2], [3, 1], [0, 0]] },
  { batch: 2, height: 8, width: 8, inChannels: 3, outChannels: 2, kernel: [2, 2], strides: [2, 2], pad: [[0, 0], [4, 3], [0, 5], [0, 0]] },
  { batch: 1, height: 7, width: 9, inChannels: 1, outChannels: 1, kernel: [1, 1], strides: [2, 3], pad: 'same' },
];

function randomCase(rand: () => number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const kernel: [number, number] = [pick([1, 2, 3, 5]), pick([1, 2, 3, 5])];
  const strides: [number, number] = [pick([1, 2]), pick([1, 2])];
  const pad: Pad = pick<Pad>([
    'same',
    'valid',
    [[0, 0], [Math.floor(rand() * 3), Math.floor(rand() * 3)], [Math.floor(rand() * 3), Math.floor(rand() * 3)], [0, 0]],
  ]);
  return {
    batch: pick([1, 2, 3, 8]),
    height: kernel[0] + Math.floor(rand() * 12),
    width: kernel[1] + Math.floor(rand() * 12),
    inChannels: pick([1, 2, 3, 8, 16]),
    outChannels: pick([1, 4, 7, 32]),
    kernel,
    strides,
    pad,
  };
}

const rand = mulberry32(20240501);
const cases = [...fixedCases, ...Array.from({ length: 16 }, () => randomCase(rand))];
const label = (c: Case): string =>
  `N${c.batch} ${c.height}×${c.width} ${c.inChannels}→${c.outChannels} k${c.kernel.join('×')} s${c.strides.join(',')} pad ${JSON.stringify(c.pad)}`;

describe('fast wasm backward convolutions', () => {
  beforeAll(async () => {
    registerFastWasmKernels();
    registerFastWasmKernels(); // idempotent
    await tf.setBackend('wasm');
  });

  it('are the registered wasm kernels', () => {
    expect(fastWasmKernelsRegistered()).toBe(true);
  });

  it.each(cases.map((c) => [label(c), c] as const))('Conv2DBackpropInput matches cpu: %s', async (_name, c) => {
    const dyShape = convOutShape(c);
    const inputs = {
      dy: { data: randomArray(rand, dyShape.reduce((a, b) => a * b, 1)), shape: dyShape },
      filter: { data: randomArray(rand, c.kernel[0] * c.kernel[1] * c.inChannels * c.outChannels), shape: [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels] },
    };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: [c.batch, c.height, c.width, c.inChannels] };
    const expected = await runOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    const actual = await runOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeMaxError(actual.data, expected.data)).toBeLessThanOrEqual(1e-4);
  });

  it.each(cases.map((c) => [label(c), c] as const))('Conv2DBackpropFilter matches cpu: %s', async (_name, c) => {
    const dyShape = convOutShape(c);
    const inputs = {
      x: { data: randomArray(rand, c.batch * c.height * c.width * c.inChannels), shape: [c.batch, c.height, c.width, c.inChannels] },
      dy: { data: randomArray(rand, dyShape.reduce((a, b) => a * b, 1)), shape: dyShape },
    };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels] };
    const expected = await runOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const actual = await runOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeMaxError(actual.data, expected.data)).toBeLessThanOrEqual(1e-4);
  });

  it('handles NCHW data by transposing around the NHWC path', async () => {
    const c: Case = { batch: 2, height: 9, width: 7, inChannels: 3, outChannels: 4, kernel: [3, 3], strides: [2, 1], pad: 'same' };
    const [n, oh, ow, oc] = convOutShape(c);
    const dy = { data: randomArray(rand, n * oh * ow * oc), shape: [n, oc, oh, ow] };
    const filter = { data: randomArray(rand, 9 * c.inChannels * oc), shape: [3, 3, c.inChannels, oc] };
    const x = { data: randomArray(rand, n * c.inChannels * c.height * c.width), shape: [n, c.inChannels, c.height, c.width] };
    // The cpu backend is NHWC-only for these kernels; compare with it on transposed data.
    await tf.setBackend('wasm');
    const toNhwc = (v: { data: Float32Array; shape: number[] }) => {
      const t = tf.tidy(() => tf.transpose(tf.tensor(v.data, v.shape), [0, 2, 3, 1]));
      const out = { data: t.dataSync() as Float32Array, shape: t.shape };
      t.dispose();
      return out;
    };
    const inAttrs = { strides: c.strides, pad: c.pad, dimRoundingMode: undefined };
    const dxNchw = await runOn('wasm', 'Conv2DBackpropInput', { dy, filter }, { ...inAttrs, dataFormat: 'NCHW', inputShape: [n, c.inChannels, c.height, c.width] });
    const dxRef = await runOn('cpu', 'Conv2DBackpropInput', { dy: toNhwc(dy), filter }, { ...inAttrs, dataFormat: 'NHWC', inputShape: [n, c.height, c.width, c.inChannels] });
    expect(relativeMaxError(toNhwc(dxNchw).data, dxRef.data)).toBeLessThanOrEqual(1e-4);
    const dwNchw = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, { ...inAttrs, dataFormat: 'NCHW', filterShape: [3, 3, c.inChannels, oc] });
    const dwRef = await runOn('cpu', 'Conv2DBackpropFilter', { x: toNhwc(x), dy: toNhwc(dy) }, { ...inAttrs, dataFormat: 'NHWC', filterShape: [3, 3, c.inChannels, oc] });
    expect(relativeMaxError(dwNchw.data, dwRef.data)).toBeLessThanOrEqual(1e-4);
  });
});
