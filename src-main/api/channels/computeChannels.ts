// Which compute the engine uses: the backend the compute process chose (a GPU through
// WebGPU or CUDA, or the CPU), the GPU adapter, the threads, and each faster backend it
// skipped with the reason, so the UI can say "GPU: NVIDIA RTX A4000 (Vulkan)" or
// "CPU: wasm, 2 threads — webgpu skipped: only a software adapter".
import { z } from 'zod';
import { NoParams } from './noParams';

export const ComputeBackendAttemptSchema = z.object({
  /** A backend of the chain: tensorflow-gpu, webgpu, tensorflow, wasm, cpu. */
  name: z.string().min(1),
  available: z.boolean(),
  /** Why it is not used ('' for the one in use). */
  reason: z.string(),
  /** The GPU it found, also when refused (a software adapter); else null. */
  adapter: z.string().nullable(),
});

export const ComputeInfoSchema = z.object({
  /** The backend in use. */
  backend: z.string().min(1),
  /** True when it computes on a GPU. */
  gpu: z.boolean(),
  /** The GPU in use ("NVIDIA RTX A4000 (Vulkan)"), null on the CPU. */
  adapter: z.string().nullable(),
  /** Threads a sweep computes with: engines × threads per engine. */
  threads: z.number().int().positive(),
  /** True when MICRA_BACKEND (or a setting) asked for this backend. */
  forced: z.boolean(),
  /** The backends tried in chain order, ending with the one in use. */
  tried: z.array(ComputeBackendAttemptSchema).min(1),
});

export const computeRequests = {
  'compute.info': { params: NoParams, result: ComputeInfoSchema },
} as const;

export const computeEvents = {} as const;
