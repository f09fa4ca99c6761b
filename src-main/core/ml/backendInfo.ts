// The backend chain's names and what a chosen backend reports, as zod schemas: the report
// crosses thread and process boundaries (engine workers, the compute process, `micra doctor`).
// Free of TensorFlow.js, so main and the job schemas can use it without loading it.
import { z } from 'zod';

/** The chain, fastest first: tfjs-node-gpu (CUDA), WebGPU (Dawn), tfjs-node, wasm, plain JS. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BackendNameSchema = z.enum(BACKEND_NAMES);

/** Backends that compute on a GPU (the rest use the CPU). */
export const GPU_BACKENDS: ReadonlySet<BackendName> = new Set<BackendName>(['tensorflow-gpu', 'webgpu']);

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/** One backend of the chain as tried: usable or not, and why not. */
export const BackendAttemptSchema = z.object({
  name: BackendNameSchema,
  available: z.boolean(),
  /** Why it cannot be used ('' when it can). */
  reason: z.string(),
  /** The GPU it found ("NVIDIA RTX A4000 (Vulkan)"), also when refused (a software one); else null. */
  adapter: z.string().nullable(),
});
export type BackendAttempt = z.infer<typeof BackendAttemptSchema>;

export const BackendInfoSchema = z.object({
  /** The backend in use. */
  name: BackendNameSchema,
  /** Why the backends before it in the chain were skipped ('' when the first one was used). */
  reason: z.string(),
  /** Threads one engine of this backend computes with (wasm and cpu in Node: 1). */
  threads: z.number().int().positive(),
  /** True when a setting or MICRA_BACKEND asked for a specific backend. */
  forced: z.boolean(),
  /** The GPU in use, e.g. "NVIDIA RTX A4000 (Vulkan)"; null on a CPU backend. */
  adapter: z.string().nullable(),
  /** Every backend tried, in chain order, ending with the one in use. */
  tried: z.array(BackendAttemptSchema),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

/** What the compute process reports for the UI: its backend and how many engines a sweep runs. */
export const ComputeProbeSchema = z.object({
  backend: BackendInfoSchema,
  /** Engines a sweep runs: one per core on the CPU backends, one on a GPU. */
  engines: z.number().int().positive(),
});
export type ComputeProbe = z.infer<typeof ComputeProbeSchema>;
