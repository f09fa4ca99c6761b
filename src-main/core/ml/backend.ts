// Picks the TensorFlow.js backend at start: tfjs-node-gpu (CUDA) → webgpu (Dawn: Vulkan, Metal,
// D3D12) → tfjs-node (native CPU) → wasm (XNNPACK, SIMD) → plain JS cpu. The native two are
// optional dependencies that may be absent (their install downloads libtensorflow), so they are
// imported dynamically; webgpu needs a GPU driver. A failure only moves on down the chain,
// recording why. A setting or MICRA_BACKEND forces one; a software WebGPU adapter (SwiftShader,
// lavapipe) is used only then, since wasm beats an emulated GPU on the same CPU.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, GPU_BACKENDS, isBackendName, type BackendAttempt, type BackendInfo, type BackendName } from './backendInfo';
import { startWebGpu, WebGpuUnavailableError } from './gpu/webgpuBackend';
import { registerFastWasmKernels, registerNodeGradients } from './kernels';

export { BACKEND_NAMES, isBackendName, type BackendAttempt, type BackendInfo, type BackendName } from './backendInfo';

const require = createRequire(import.meta.url);

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/** Imports a package the bundler must not resolve (it may be missing at run time). */
async function importOptional(specifier: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ specifier);
  } catch (err) {
    // The usual case, said plainly: the optional package is not there.
    if ((err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && errorText(err).includes(specifier)) {
      throw new Error(`${specifier} is not installed (an optional dependency: its install downloads libtensorflow)`);
    }
    throw err;
  }
}

/** The folder holding tfjs-backend-wasm's .wasm binaries, found from wherever we run. */
export function wasmBinaryFolder(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`;
}

/**
 * TensorFlow.js writes notices meant for its developers to the console: a banner urging to
 * install tfjs-node the first time the plain cpu backend holds a tensor (we pick backends
 * ourselves and BackendInfo says why one was skipped), and a line per kernel when tfjs-node-gpu
 * and tfjs-node both load (micra doctor tries both). Production mode silences exactly tfjs's own
 * warn and log calls (tfjs-core log.ts, environment.ts); errors still throw. Per thread, like
 * the backend itself: every computing thread comes through here.
 */
function quietTfjsConsole(): void {
  tf.enableProdMode();
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

interface Started {
  threads: number;
  /** The GPU computing, for GPU backends. */
  adapter: string | null;
}

/** A backend that cannot start, with the adapter it found (a refused software GPU), if any. */
class BackendUnavailable extends Error {
  constructor(
    message: string,
    readonly adapter: string | null,
  ) {
    super(message);
  }
}

/** Tries one backend; resolves to what it runs on or rejects with the reason it is unusable. */
async function tryBackend(name: BackendName, forced: boolean): Promise<Started> {
  switch (name) {
    case 'tensorflow-gpu': {
      // Let TensorFlow grow its GPU memory instead of taking it all: the renderer needs a share.
      process.env['TF_FORCE_GPU_ALLOW_GROWTH'] ??= 'true';
      await importOptional('@tensorflow/tfjs-node-gpu');
      await activate('tensorflow');
      return { threads: 1, adapter: 'CUDA' };
    }
    case 'webgpu': {
      try {
        const { adapter } = await startWebGpu({ allowSoftware: forced });
        return { threads: 1, adapter };
      } catch (err) {
        throw new BackendUnavailable(errorText(err), err instanceof WebGpuUnavailableError ? err.adapter : null);
      }
    }
    case 'tensorflow': {
      await importOptional('@tensorflow/tfjs-node');
      await activate('tensorflow');
      return { threads: 1, adapter: null };
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      registerFastWasmKernels();
      if (tf.findBackend('wasm') == null) wasm.setWasmPaths(wasmBinaryFolder());
      await activate('wasm');
      return { threads: wasm.getThreadsCount(), adapter: null };
    }
    case 'cpu': {
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      return { threads: 1, adapter: null };
    }
  }
}

async function attempt(name: BackendName, forced: boolean): Promise<{ attempt: BackendAttempt; started: Started | null }> {
  try {
    const started = await tryBackend(name, forced);
    return { attempt: { name, available: true, reason: '', adapter: started.adapter }, started };
  } catch (err) {
    const adapter = err instanceof BackendUnavailable ? err.adapter : null;
    return { attempt: { name, available: false, reason: errorText(err), adapter }, started: null };
  }
}

/** The requested backend, from the argument or else MICRA_BACKEND; undefined means automatic. */
function requestedBackend(preference: BackendName | undefined): BackendName | undefined {
  if (preference) return preference;
  const fromEnv = process.env['MICRA_BACKEND']?.trim();
  if (!fromEnv) return undefined;
  if (!isBackendName(fromEnv)) {
    throw new Error(`MICRA_BACKEND=${fromEnv} is not a backend; use one of ${BACKEND_NAMES.join(', ')}`);
  }
  return fromEnv;
}

function skippedReason(tried: readonly BackendAttempt[]): string {
  return tried
    .filter((t) => !t.available)
    .map((t) => `${t.name}: ${t.reason}`)
    .join('; ');
}

/** Whether a backend computes on a GPU. */
export function isGpuBackend(name: BackendName): boolean {
  return GPU_BACKENDS.has(name);
}

/**
 * Initialises the best available backend and makes training and Grad-CAM work on it (the
 * gradients tfjs-core's Node build lacks; the fast wasm backward convolutions). A forced
 * backend is tried first; if it cannot start, the chain continues below it and `reason` says
 * why. Calling it again re-selects (cheap once the backends are loaded).
 */
export async function initBackend(preference?: BackendName): Promise<BackendInfo> {
  quietTfjsConsole();
  registerNodeGradients();
  const forced = requestedBackend(preference);
  const chain = forced ? BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(forced)) : [...BACKEND_NAMES];
  const tried: BackendAttempt[] = [];
  for (const name of chain) {
    const r = await attempt(name, name === forced);
    tried.push(r.attempt);
    if (r.started) {
      return { name, reason: skippedReason(tried), threads: r.started.threads, forced: forced != null, adapter: r.started.adapter, tried };
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${skippedReason(tried)})`);
}

export interface BackendSurvey {
  /** Every backend of the chain, usable or not, in chain order. */
  backends: BackendAttempt[];
  /** The backend initBackend picks, now active. */
  chosen: BackendInfo;
}

/**
 * Tries every backend of the chain, not only up to the first that works (so `micra doctor`
 * shows why the faster ones were skipped and which slower ones would work), then activates the
 * one initBackend picks.
 */
export async function surveyBackends(preference?: BackendName): Promise<BackendSurvey> {
  quietTfjsConsole();
  registerNodeGradients();
  const forced = requestedBackend(preference);
  const backends: BackendAttempt[] = [];
  for (const name of BACKEND_NAMES) backends.push((await attempt(name, name === forced)).attempt);
  return { backends, chosen: await initBackend(preference) };
}
