// The webgpu backend: TensorFlow.js's @tensorflow/tfjs-backend-webgpu on Dawn, through the
// `webgpu` package's prebuilt dawn.node (N-API, so plain Node, Electron's utilityProcess and
// worker threads load it without a rebuild). Dawn drives Vulkan on Linux, Metal on macOS and
// D3D12 on Windows.
//
// The adapter is requested here, not by tfjs's own backend factory, so that the adapter whose
// info we check and report is the one that computes, and so a software rasteriser can be
// refused before any device exists. Everything loaded (dawn.node, the GPU object, the device)
// is kept for the life of the thread: tfjs holds the device, and creating a second Dawn
// instance per call would waste seconds.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { VULKAN_LOADER, vulkanLoaderOnThisMachine } from './vulkanLoader';
import { adapterLabel, dawnBackendFlag, gpuApiFor, softwareAdapterName, softwareAdapterReason, type AdapterFacts, type GpuApi } from './webgpuAdapter';

// ---- the small part of the WebGPU API used here (the package's own types would pull a second
// copy of @webgpu/types into the program) ----

interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

interface GpuDeviceLike {
  readonly lost: Promise<{ reason: string; message: string }>;
  destroy(): void;
}

interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
  readonly limits: Readonly<Record<string, number>>;
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<GpuDeviceLike>;
}

interface GpuLike {
  requestAdapter(options: { powerPreference: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

type WebGpuBackendClass = new (device: GpuDeviceLike, adapterInfo: AdapterFacts) => tf.KernelBackend;

// ---- state of this thread ----

interface Probed {
  api: GpuApi;
  facts: AdapterFacts;
  adapter: GpuAdapterLike;
  label: string;
  /** Name of the software rasteriser, or null for a hardware GPU. */
  software: string | null;
}

/** The adapter probe's outcome (cached: it does not change while the process lives). */
let probe: Promise<Probed> | null = null;
/** Set once the tfjs backend is registered on our device. */
let registered: Promise<void> | null = null;

export interface WebGpuStarted {
  /** "NVIDIA RTX A4000 (Vulkan)". */
  adapter: string;
  /** Name of the software rasteriser in use (only when allowed), or null. */
  software: string | null;
}

/** Why the adapter step failed, worded for `micra doctor` and the UI. */
export class WebGpuUnavailableError extends Error {
  constructor(
    message: string,
    /** The adapter that was found but refused (a software one), if any. */
    readonly adapter: string | null = null,
  ) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

async function loadDawn(): Promise<DawnModule> {
  try {
    // A variable specifier keeps bundlers from resolving it: dawn.node is found at run time
    // next to the package's index.js (unpacked from the asar in the packaged app).
    const specifier = 'webgpu';
    return (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (err) {
    throw new WebGpuUnavailableError(`dawn.node could not be loaded (${errorText(err)})`);
  }
}

/** The folder of this platform's dawn.node (Dawn looks for libvulkan.so.1 beside it first). */
function dawnFolder(): string | null {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('webgpu')), 'dist', `${process.platform}-${process.arch}`);
  } catch {
    return null;
  }
}

function factsOf(info: GpuAdapterInfoLike): AdapterFacts {
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? false,
  };
}

// The WebGPU globals tfjs uses by name (GPUBufferUsage, GPUMapMode, …), and navigator.gpu, which
// tfjs checks before it registers anything. Node 20 has no navigator; Node 21+ and Electron have
// one without `gpu`.
function installGlobals(dawn: DawnModule, gpu: GpuLike): void {
  const g = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in g)) g[name] = value;
  const nav = g['navigator'];
  if (nav === undefined || nav === null) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (!('gpu' in (nav as object)) || (nav as { gpu?: unknown }).gpu == null) {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

/** Loads Dawn and asks for the most capable adapter. */
async function probeAdapter(): Promise<Probed> {
  const api = gpuApiFor(process.platform);
  if (api === null) throw new WebGpuUnavailableError(`no WebGPU API on ${process.platform}`);
  if (process.platform === 'linux' && !vulkanLoaderOnThisMachine(dawnFolder())) {
    throw new WebGpuUnavailableError(`no Vulkan loader (${VULKAN_LOADER}): install libvulkan1 and the GPU's Vulkan driver`);
  }
  const dawn = await loadDawn();
  let gpu: GpuLike;
  try {
    gpu = dawn.create([dawnBackendFlag(api)]);
  } catch (err) {
    throw new WebGpuUnavailableError(`Dawn could not start ${api} (${errorText(err)})`);
  }
  installGlobals(dawn, gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    const hint = api === 'Vulkan' ? ': no Vulkan driver, or no libvulkan.so.1' : '';
    throw new WebGpuUnavailableError(`no ${api} adapter${hint}`);
  }
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const facts = factsOf(info);
  return { api, facts, adapter, label: adapterLabel(facts, api), software: softwareAdapterName(facts) };
}

/** Registers tfjs's webgpu backend on a device of our adapter (once per thread). */
async function registerBackend(p: Probed): Promise<void> {
  let WebGPUBackend: WebGpuBackendClass;
  try {
    // Importing the package registers its own 'webgpu' factory (navigator.gpu is set by now)
    // and every webgpu kernel; the factory is replaced below by one on our adapter.
    const mod = await import('@tensorflow/tfjs-backend-webgpu');
    WebGPUBackend = mod.WebGPUBackend as unknown as WebGpuBackendClass;
  } catch (err) {
    throw new WebGpuUnavailableError(`@tensorflow/tfjs-backend-webgpu could not be loaded (${errorText(err)})`);
  }
  // The limits tfjs's own factory asks for: the adapter's maxima for large convolutions.
  const limits = p.adapter.limits;
  const want = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];
  const requiredLimits: Record<string, number> = {};
  for (const name of want) {
    const value = limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  const device = await p.adapter.requestDevice({ requiredLimits });
  void device.lost.then((info) => {
    // 'destroyed' is ours (process end); anything else (driver reset, GPU removed) is worth a line.
    if (info.reason !== 'destroyed') console.warn(`webgpu: the GPU device was lost (${info.reason}): ${info.message}`);
  });
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, p.facts), 3);
}

/**
 * Makes 'webgpu' the active tfjs backend on the most capable adapter, or throws
 * WebGpuUnavailableError saying why not. A software adapter is refused unless `allowSoftware`
 * (the user forced webgpu).
 */
export async function startWebGpu(opts: { allowSoftware: boolean }): Promise<WebGpuStarted> {
  probe ??= probeAdapter();
  const p = await probe;
  if (p.software !== null && !opts.allowSoftware) throw new WebGpuUnavailableError(softwareAdapterReason(p.software, p.api), p.label);
  registered ??= registerBackend(p).catch((err: unknown) => {
    registered = null;
    throw err;
  });
  await registered;
  if (!(await tf.setBackend('webgpu'))) throw new WebGpuUnavailableError(`the webgpu backend did not start on ${p.label}`);
  await tf.ready();
  return { adapter: p.label, software: p.software };
}

/** The adapter found by an earlier probe in this thread, without starting anything. */
export async function probedAdapterLabel(): Promise<string | null> {
  if (!probe) return null;
  try {
    return (await probe).label;
  } catch {
    return null;
  }
}
