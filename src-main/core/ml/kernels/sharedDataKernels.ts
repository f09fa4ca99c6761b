// Identity and same-dtype Cast that share their input's data instead of copying it, as the
// cpu and webgl backends already do (tensor data is immutable; the backend ref-counts it).
// The stock wasm kernels copy: in a training step, tf.moments' cast, clone() in gradients and
// the like made ~280 full-size copies — a quarter of the step's time and hundreds of MB.
import type { KernelBackend, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

interface SharingArgs {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs?: { dtype?: string };
}

function share(backend: KernelBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Identity: shares numeric data; strings (never on our path) go to the stock kernel. */
export function makeSharingIdentity(stock: KernelFunc | undefined) {
  return function identityShared(args: SharingArgs): TensorInfo {
    const x = args.inputs['x'];
    if (x == null) throw new Error('Identity needs x');
    if (x.dtype !== 'string' || stock == null) return share(args.backend, x);
    return stock(args as Parameters<KernelFunc>[0]) as TensorInfo;
  };
}

/** Cast: a cast to the same dtype shares the data; real conversions use the stock kernel. */
export function makeSharingCast(stock: KernelFunc) {
  return function castShared(args: SharingArgs): TensorInfo {
    const x = args.inputs['x'];
    if (x == null) throw new Error('Cast needs x');
    if (args.attrs?.dtype === x.dtype) return share(args.backend, x);
    return stock(args as Parameters<KernelFunc>[0]) as TensorInfo;
  };
}
