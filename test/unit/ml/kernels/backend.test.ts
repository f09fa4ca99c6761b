// Backend selection: the chain skips the native backends (not installed here) with a reason,
// lands on wasm with the fast kernels, can be forced to cpu by argument or MICRA_BACKEND, and
// the chosen backend actually computes (a conv2d gradient, which needs the registered pieces).
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend, wasmBinaryFolder } from '../../../../src-main/core/ml/backend';
import { fastWasmKernelsRegistered } from '../../../../src-main/core/ml/kernels';
import { existsSync } from 'node:fs';

function convGradSum(): number {
  return tf.tidy(() => {
    const x = tf.reshape(tf.linspace(0, 1, 2 * 6 * 6 * 3), [2, 6, 6, 3]) as tf.Tensor4D;
    const w = tf.reshape(tf.linspace(-1, 1, 3 * 3 * 3 * 4), [3, 3, 3, 4]) as tf.Tensor4D;
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([x, w]);
    return tf.sum(gx as tf.Tensor).dataSync()[0]! + tf.sum(gw as tf.Tensor).dataSync()[0]!;
  });
}

describe('initBackend', () => {
  const savedEnv = process.env['MICRA_BACKEND'];
  afterEach(() => {
    if (savedEnv === undefined) delete process.env['MICRA_BACKEND'];
    else process.env['MICRA_BACKEND'] = savedEnv;
  });

  it('finds the wasm binaries', () => {
    expect(existsSync(`${wasmBinaryFolder()}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });

  it('falls through the missing native backends to wasm, saying why', async () => {
    delete process.env['MICRA_BACKEND'];
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.forced).toBe(false);
    expect(info.threads).toBe(1);
    expect(info.reason).toMatch(/^tensorflow-gpu: .*tfjs-node-gpu.*; tensorflow: .*tfjs-node/);
    expect(fastWasmKernelsRegistered()).toBe(true);
  });

  it('is forced to cpu by argument and by MICRA_BACKEND, and both compute the same gradient', async () => {
    const wasmInfo = await initBackend('wasm');
    expect(wasmInfo).toMatchObject({ name: 'wasm', forced: true, reason: '' });
    const onWasm = convGradSum();
    const cpuInfo = await initBackend('cpu');
    expect(cpuInfo).toMatchObject({ name: 'cpu', forced: true, reason: '', threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
    const onCpu = convGradSum();
    expect(Math.abs(onWasm - onCpu) / Math.abs(onCpu)).toBeLessThan(1e-4);
    process.env['MICRA_BACKEND'] = 'wasm';
    expect((await initBackend()).name).toBe('wasm');
  });

  it('reports a forced native backend that cannot start and continues down the chain', async () => {
    process.env['MICRA_BACKEND'] = 'tensorflow';
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(info.forced).toBe(true);
    expect(info.reason).toMatch(/^tensorflow: /);
  });

  it('rejects an unknown MICRA_BACKEND value', async () => {
    process.env['MICRA_BACKEND'] = 'webgpu';
    await expect(initBackend()).rejects.toThrow(/MICRA_BACKEND=webgpu/);
  });
});
