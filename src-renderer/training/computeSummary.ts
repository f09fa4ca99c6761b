// The compute the engine uses, in one line for the status area: "GPU: NVIDIA RTX A4000
// (Vulkan)", or "CPU: wasm, 2 threads — webgpu skipped: only a software adapter (SwiftShader
// Vulkan)". Only the skipped GPU backends are named in the line (a missing optional CPU build is
// no news); every skipped backend is listed with its full reason beneath it.
import type { RequestResult } from '../../src-main/api/types';

export type ComputeInfo = RequestResult<'compute.info'>;

const GPU_BACKENDS = new Set(['tensorflow-gpu', 'webgpu']);

/** A reason's first clause: "only a software adapter (SwiftShader Vulkan)" of the full text. */
export function shortReason(reason: string): string {
  return reason.split(' — ')[0]?.trim() ?? reason;
}

export function computeSummary(info: ComputeInfo): string {
  if (info.gpu) return `GPU: ${info.adapter ?? info.backend}`;
  const cpu = `CPU: ${info.backend}, ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  const skippedGpus = info.tried.filter((t) => !t.available && GPU_BACKENDS.has(t.name) && !/is not installed/.test(t.reason));
  if (skippedGpus.length === 0) return cpu;
  return `${cpu} — ${skippedGpus.map((t) => `${t.name} skipped: ${shortReason(t.reason)}`).join('; ')}`;
}

/** Each backend skipped before the one in use: "webgpu: only a software adapter …". */
export function skippedBackends(info: ComputeInfo): string[] {
  return info.tried.filter((t) => !t.available).map((t) => `${t.name}: ${t.reason}`);
}
