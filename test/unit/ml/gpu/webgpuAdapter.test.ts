// The WebGPU adapter policy without a GPU: which adapters are software rasterisers, how an
// adapter is named to the user, and which API Dawn drives on each platform.
import { describe, expect, it } from 'vitest';
import {
  adapterLabel,
  dawnBackendFlag,
  gpuApiFor,
  readableIdentifier,
  softwareAdapterName,
  softwareAdapterReason,
  type AdapterFacts,
} from '../../../../src-main/core/ml/gpu/webgpuAdapter';

const facts = (over: Partial<AdapterFacts>): AdapterFacts => ({ vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false, ...over });

// As dawn.node reports them: vendor, architecture and device as normalized identifiers.
const NVIDIA = facts({ vendor: 'nvidia', architecture: 'ampere', device: 'nvidia-rtx-a4000', description: 'NVIDIA 550.54.14' });
const H100 = facts({ vendor: 'nvidia', architecture: 'hopper', device: 'nvidia-h100-80gb-hbm3', description: 'NVIDIA 580.159.04' });
const INTEL = facts({ vendor: 'intel', architecture: 'gen-9', device: 'intel-r-uhd-graphics-630-cfl-gt2', description: 'Intel open-source Mesa driver Mesa 22.3.6' });
const APPLE = facts({ vendor: 'apple', architecture: 'metal-3', device: 'apple-m2', description: '' });
// Seen here: SwiftShader from Debian's chromium package.
const SWIFTSHADER = facts({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true });
const LAVAPIPE = facts({ vendor: 'mesa', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits', description: 'llvmpipe Mesa 22.3.6 (LLVM 15.0.6)', isFallbackAdapter: true });
const WARP = facts({ vendor: 'microsoft', device: 'microsoft-basic-render-driver', description: 'D3D12 driver version 10.0.22621.2506' });

describe('the WebGPU adapter', () => {
  it('names the API Dawn drives on each platform and pins it', () => {
    expect(gpuApiFor('linux')).toBe('Vulkan');
    expect(gpuApiFor('darwin')).toBe('Metal');
    expect(gpuApiFor('win32')).toBe('D3D12');
    expect(gpuApiFor('aix')).toBeNull();
    expect(dawnBackendFlag('Vulkan')).toBe('backend=vulkan');
    expect(dawnBackendFlag('D3D12')).toBe('backend=d3d12');
  });

  it('tells software rasterisers from GPUs', () => {
    expect(softwareAdapterName(NVIDIA)).toBeNull();
    expect(softwareAdapterName(H100)).toBeNull();
    expect(softwareAdapterName(INTEL)).toBeNull();
    expect(softwareAdapterName(APPLE)).toBeNull();
    expect(softwareAdapterName(SWIFTSHADER)).toBe('SwiftShader');
    expect(softwareAdapterName({ ...SWIFTSHADER, isFallbackAdapter: false })).toBe('SwiftShader');
    expect(softwareAdapterName(LAVAPIPE)).toBe('lavapipe');
    expect(softwareAdapterName(WARP)).toBe('WARP');
    // Any other adapter Dawn types as CPU.
    expect(softwareAdapterName(facts({ device: 'some-new-rasteriser', isFallbackAdapter: true }))).toBe('CPU');
  });

  it('names the adapter as the user knows it, with the API', () => {
    expect(adapterLabel(NVIDIA, 'Vulkan')).toBe('NVIDIA RTX A4000 (Vulkan)');
    expect(adapterLabel(H100, 'Vulkan')).toBe('NVIDIA H100 80GB HBM3 (Vulkan)');
    expect(adapterLabel(INTEL, 'Vulkan')).toBe('Intel R UHD Graphics 630 CFL GT2 (Vulkan)');
    expect(adapterLabel(APPLE, 'Metal')).toBe('Apple M2 (Metal)');
    expect(adapterLabel(SWIFTSHADER, 'Vulkan')).toBe('SwiftShader (Vulkan, software)');
    expect(adapterLabel(facts({ description: 'Some Driver 1.0' }), 'D3D12')).toBe('Some Driver 1.0 (D3D12)');
    expect(adapterLabel(facts({ vendor: 'amd', architecture: 'rdna-3' }), 'Vulkan')).toBe('AMD RDNA 3 (Vulkan)');
    expect(adapterLabel(facts({}), 'Vulkan')).toBe('unnamed GPU (Vulkan)');
  });

  it('keeps names that are not identifiers as they are', () => {
    expect(readableIdentifier('NVIDIA GeForce RTX 4090')).toBe('NVIDIA GeForce RTX 4090');
    expect(readableIdentifier('nvidia-geforce-rtx-4090')).toBe('NVIDIA GeForce RTX 4090');
  });

  it('says why a software adapter is skipped and how to use it anyway', () => {
    expect(softwareAdapterReason('SwiftShader', 'Vulkan')).toBe('only a software adapter (SwiftShader Vulkan) — set MICRA_BACKEND=webgpu to use it');
  });
});
