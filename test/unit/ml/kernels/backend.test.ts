// Backend selection: the chain skips the native backends (not installed here) and webgpu (no
// Vulkan driver for this process; webgpuParity.test.ts runs it on SwiftShader) with a reason,
// lands on wasm with the fast kernels, can be forced to cpu by argument or MICRA_BACKEND, and
// the chosen backend actually computes (a conv2d gradient, which needs the registered pieces).
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend, surveyBackends, wasmBinaryFolder } from '../../../../src-main/core/ml/backend';
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
  // No Vulkan driver for this process, so a developer's GPU does not change what the chain
  // picks (the loader reads these when Dawn first creates its instance, in this process).
  process.env['VK_ICD_FILENAMES'] = '/nonexistent/micra-test-icd.json';
  process.env['VK_DRIVER_FILES'] = '/nonexistent/micra-test-icd.json';
  afterEach(() => {
    if (savedEnv === undefined) delete process.env['MICRA_BACKEND'];
    else process.env['MICRA_BACKEND'] = savedEnv;
  });

  it('finds the wasm binaries', () => {
    expect(existsSync(`${wasmBinaryFolder()}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });

  it('falls through the missing native backends and webgpu to wasm, saying why', async () => {
    delete process.env['MICRA_BACKEND'];
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.forced).toBe(false);
    expect(info.threads).toBe(1);
    expect(info.adapter).toBeNull();
    expect(info.reason).toMatch(/^tensorflow-gpu: .*tfjs-node-gpu.*; webgpu: .+; tensorflow: .*tfjs-node/);
    expect(info.tried.map((t) => [t.name, t.available])).toEqual([
      ['tensorflow-gpu', false],
      ['webgpu', false],
      ['tensorflow', false],
      ['wasm', true],
    ]);
    expect(info.tried[1]?.reason).toMatch(/no Vulkan adapter|no Vulkan loader|only a software adapter|dawn\.node|no WebGPU API/);
    expect(fastWasmKernelsRegistered()).toBe(true);
  });

  it('surveys every backend of the chain, not just up to the first that works', async () => {
    delete process.env['MICRA_BACKEND'];
    const survey = await surveyBackends();
    expect(survey.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(survey.backends.filter((b) => b.available).map((b) => b.name)).toEqual(['wasm', 'cpu']);
    for (const b of survey.backends) expect(b.available ? b.reason === '' : b.reason.length > 0).toBe(true);
    expect(survey.chosen.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
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

  it('reports a forced webgpu that cannot start (no Vulkan loader here) and continues down the chain', async () => {
    process.env['MICRA_BACKEND'] = 'webgpu';
    const info = await initBackend();
    expect(info).toMatchObject({ name: 'wasm', forced: true, adapter: null });
    expect(info.reason).toMatch(/^webgpu: .+; tensorflow: /);
  });

  it('rejects an unknown MICRA_BACKEND value', async () => {
    process.env['MICRA_BACKEND'] = 'metal';
    await expect(initBackend()).rejects.toThrow(/MICRA_BACKEND=metal is not a backend; use one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu/);
  });
});
