// The status line of the compute in use, from what the compute process reports.
import { describe, expect, it } from 'vitest';
import { computeSummary, shortReason, skippedBackends, type ComputeInfo } from '../../../src-renderer/training/computeSummary';

const notInstalled = (name: string) => ({ name, available: false, reason: `@tensorflow/${name === 'tensorflow' ? 'tfjs-node' : 'tfjs-node-gpu'} is not installed (an optional dependency: its install downloads libtensorflow)`, adapter: null });

describe('computeSummary', () => {
  it('names the GPU and its API', () => {
    const info: ComputeInfo = {
      backend: 'webgpu',
      gpu: true,
      adapter: 'NVIDIA RTX A4000 (Vulkan)',
      threads: 1,
      forced: false,
      tried: [notInstalled('tensorflow-gpu'), { name: 'webgpu', available: true, reason: '', adapter: 'NVIDIA RTX A4000 (Vulkan)' }],
    };
    expect(computeSummary(info)).toBe('GPU: NVIDIA RTX A4000 (Vulkan)');
  });

  it('names the CPU backend, its threads and why a GPU backend was skipped', () => {
    const info: ComputeInfo = {
      backend: 'wasm',
      gpu: false,
      adapter: null,
      threads: 2,
      forced: false,
      tried: [
        notInstalled('tensorflow-gpu'),
        { name: 'webgpu', available: false, reason: 'only a software adapter (SwiftShader Vulkan) — set MICRA_BACKEND=webgpu to use it', adapter: 'SwiftShader (Vulkan, software)' },
        notInstalled('tensorflow'),
        { name: 'wasm', available: true, reason: '', adapter: null },
      ],
    };
    expect(computeSummary(info)).toBe('CPU: wasm, 2 threads — webgpu skipped: only a software adapter (SwiftShader Vulkan)');
    expect(skippedBackends(info)).toEqual([
      `tensorflow-gpu: ${notInstalled('tensorflow-gpu').reason}`,
      'webgpu: only a software adapter (SwiftShader Vulkan) — set MICRA_BACKEND=webgpu to use it',
      `tensorflow: ${notInstalled('tensorflow').reason}`,
    ]);
  });

  it('says nothing of skipped backends when none was a GPU worth mentioning', () => {
    const info: ComputeInfo = { backend: 'cpu', gpu: false, adapter: null, threads: 1, forced: true, tried: [{ name: 'cpu', available: true, reason: '', adapter: null }] };
    expect(computeSummary(info)).toBe('CPU: cpu, 1 thread');
    expect(shortReason('no Vulkan adapter: no Vulkan driver, or no libvulkan.so.1')).toBe('no Vulkan adapter: no Vulkan driver, or no libvulkan.so.1');
  });
});
