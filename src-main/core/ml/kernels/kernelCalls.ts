// Calling a backend's registered kernels from inside another kernel. A kernel function runs
// below the engine (no tape, no scopes), so it composes other *kernels*, never tf ops, and it
// must free every intermediate it creates: the engine only tracks the tensor it returns.
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** Runs `kernelName` of `backendName` on `inputs`, returning its single output. */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: object,
): TensorInfo {
  const config = getKernel(kernelName, backendName);
  if (config == null) throw new Error(`kernel ${kernelName} is not registered for backend ${backendName}`);
  const out = config.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap });
  if (Array.isArray(out)) throw new Error(`kernel ${kernelName} returned several outputs; one was expected`);
  return out;
}

/**
 * A scope for intermediates made inside a kernel: `keep` registers one, `dispose` frees all
 * of them but the result (reshapes share data ids, so the backend's ref counts decide).
 */
export class KernelScope {
  private readonly held: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  call(kernelName: string, inputs: NamedTensorInfoMap, attrs: object = {}): TensorInfo {
    const out = callKernel(kernelName, this.backendName, this.backend, inputs, attrs);
    this.held.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.call('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.call('Transpose', { x }, { perm });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.call('Slice', { x }, { begin, size });
  }

  /** Frees every intermediate except `result` (which the caller hands to the engine). */
  dispose(result?: TensorInfo): void {
    for (const t of this.held) {
      if (t !== result) this.backend.disposeData(t.dataId);
    }
    this.held.length = 0;
  }
}
