// Picks the TensorFlow.js backend at start: tfjs-node-gpu (CUDA) → tfjs-node (native CPU) →
// wasm (XNNPACK, SIMD) → plain JS cpu. The native two are optional dependencies that may be
// absent (their install downloads libtensorflow), so they are imported dynamically and a
// failure only moves on down the chain, recording why. A setting or MICRA_BACKEND forces one.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { registerFastWasmKernels, registerNodeGradients } from './kernels';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  /** Why the backends before it in the chain were skipped ('' when the first one was used). */
  reason: string;
  /** Threads one engine of this backend computes with (wasm and cpu in Node: 1). */
  threads: number;
  /** True when a setting or MICRA_BACKEND asked for a specific backend. */
  forced: boolean;
}

const require = createRequire(import.meta.url);

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/** Imports a package the bundler must not resolve (it may be missing at run time). */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

/** The folder holding tfjs-backend-wasm's .wasm binaries, found from wherever we run. */
export function wasmBinaryFolder(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/** Tries one backend; resolves to its thread count or rejects with the reason it is unusable. */
async function tryBackend(name: BackendName): Promise<number> {
  switch (name) {
    case 'tensorflow-gpu': {
      // Let TensorFlow grow its GPU memory instead of taking it all: the renderer needs a share.
      process.env['TF_FORCE_GPU_ALLOW_GROWTH'] ??= 'true';
      await importOptional('@tensorflow/tfjs-node-gpu');
      await activate('tensorflow');
      return 1;
    }
    case 'tensorflow': {
      await importOptional('@tensorflow/tfjs-node');
      await activate('tensorflow');
      return 1;
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      registerFastWasmKernels();
      if (tf.findBackend('wasm') == null) wasm.setWasmPaths(wasmBinaryFolder());
      await activate('wasm');
      return wasm.getThreadsCount();
    }
    case 'cpu': {
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      return 1;
    }
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

/**
 * Initialises the best available backend and makes training and Grad-CAM work on it (the
 * gradients tfjs-core's Node build lacks; the fast wasm backward convolutions). A forced
 * backend is tried first; if it cannot start, the chain continues below it and `reason` says
 * why. Calling it again re-selects (cheap once the backends are loaded).
 */
export async function initBackend(preference?: BackendName): Promise<BackendInfo> {
  registerNodeGradients();
  const forced = requestedBackend(preference);
  const chain = forced ? BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(forced)) : [...BACKEND_NAMES];
  const skipped: string[] = [];
  for (const name of chain) {
    try {
      const threads = await tryBackend(name);
      return { name, reason: skipped.join('; '), threads, forced: forced != null };
    } catch (err) {
      skipped.push(`${name}: ${errorText(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}
