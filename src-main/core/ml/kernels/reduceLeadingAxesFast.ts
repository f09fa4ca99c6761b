// Sum and Mean over every axis but the last (per-channel reductions of NHWC tensors: batch-norm
// statistics in training, bias and scale gradients) as one matrix product with a vector of
// ones: [1, M] · [M, C]. The stock wasm kernels first transpose the reduced axes innermost
// (a full copy) and then reduce; the product is ~20× faster on a [2, 256, 256, 32] tensor.
// Any other reduction goes to the stock kernel.
import { util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelScope } from './kernelCalls';

interface ReduceArgs {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs: { axis: number | number[]; keepDims?: boolean };
}

/** Below this many reduced rows the stock kernel is as fast and a product is not worth it. */
const MIN_ROWS = 256;

/** True when `axes` are exactly the leading rank−1 axes of `shape`. */
export function reducesLeadingAxes(shape: number[], axis: number | number[]): boolean {
  if (shape.length < 2) return false;
  const axes = [...util.parseAxisParam(axis, shape)].sort((a, b) => a - b);
  return axes.length === shape.length - 1 && axes.every((a, i) => a === i);
}

export function makeLeadingAxesReduce(kind: 'Sum' | 'Mean', backendName: string, stock: KernelFunc) {
  return function reduceLeadingAxes(args: ReduceArgs): TensorInfo {
    const x = args.inputs['x'];
    if (x == null) throw new Error(`${kind} needs x`);
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const channels = x.shape[x.shape.length - 1] as number;
    if (x.dtype !== 'float32' || rows < MIN_ROWS || !reducesLeadingAxes(x.shape, args.attrs.axis)) {
      return stock(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const scope = new KernelScope(args.backend, backendName);
    let result: TensorInfo | undefined;
    try {
      const weights = scope.call('Fill', {}, { shape: [1, 1, rows], value: kind === 'Mean' ? 1 / rows : 1, dtype: 'float32' });
      const matrix = scope.reshape(x, [1, rows, channels]);
      const product = scope.call('BatchMatMul', { a: weights, b: matrix }, { transposeA: false, transposeB: false });
      const outShape = args.attrs.keepDims ? x.shape.map((d, i) => (i < x.shape.length - 1 ? 1 : d)) : [channels];
      result = scope.reshape(product, outShape);
      return result;
    } finally {
      scope.dispose(result);
    }
  };
}
