// Conv2DBackpropFilter (the gradient of conv2d with respect to its kernel) as ONE forward
// Conv2D over the batch. The wasm backend has no kernel for it at all.
//
// Why it is exact: dW[a, b, ci, co] = Σ_n Σ_{i,j} xpad[n, i·sh + a, j·sw + b, ci] · dy[n, i, j, co].
// Read xpad transposed to [C_in, Hp, Wp, N] as a batch of C_in images with N channels, and dy
// transposed to [H', W', N, C_out] as a kernel with dilation (sh, sw): a 'valid' stride-1
// convolution of the two is [C_in, Hp − (H'−1)·sh, Wp − (W'−1)·sw, C_out], whose first
// kh × kw positions are dW in [C_in, kh, kw, C_out] order (rows past kh exist only when the
// stride does not divide the padded size, and belong to no tap).
import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelScope } from './kernelCalls';

export interface Conv2DBackpropFilterArgs {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs: Conv2DBackpropFilterAttrs;
}

/** dW [kh, kw, C_in, C_out] for NHWC `x` and `dy`, computed by one wasm Conv2D call. */
function backpropFilterNhwc(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inChannels, outChannels } = convInfo;
  const { top, bottom, left, right } = convInfo.padInfo;
  const imagesPerChannel = scope.transpose(x, [3, 1, 2, 0]);
  const gradientAsKernel = scope.transpose(dy, [1, 2, 0, 3]);
  const full = scope.call('Conv2D', { x: imagesPerChannel, filter: gradientAsKernel }, {
    strides: 1,
    dilations: [sh, sw],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
  });
  const [, fullH, fullW] = full.shape as [number, number, number, number];
  const taps = fullH === kh && fullW === kw ? full : scope.slice(full, [0, 0, 0, 0], [inChannels, kh, kw, outChannels]);
  return scope.transpose(taps, [1, 2, 0, 3]);
}

/** The kernel function registered for Conv2DBackpropFilter on `backendName`. */
export function makeConv2DBackpropFilterFast(backendName: string) {
  return function conv2DBackpropFilterFast(args: Conv2DBackpropFilterArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'];
    const dy = inputs['dy'];
    if (x == null || dy == null) throw new Error('Conv2DBackpropFilter needs x and dy');
    const channelsFirst = attrs.dataFormat === 'NCHW';
    const scope = new KernelScope(backend, backendName);
    let result: TensorInfo | undefined;
    try {
      const xNhwc = channelsFirst ? scope.transpose(x, [0, 2, 3, 1]) : x;
      const dyNhwc = channelsFirst ? scope.transpose(dy, [0, 2, 3, 1]) : dy;
      const convInfo = backend_util.computeConv2DInfo(
        xNhwc.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      const [, dyH, dyW] = dyNhwc.shape;
      if (dyH !== convInfo.outHeight || dyW !== convInfo.outWidth) {
        throw new Error(`Conv2DBackpropFilter: dy is ${dyH}×${dyW}, the convolution gives ${convInfo.outHeight}×${convInfo.outWidth}`);
      }
      result = backpropFilterNhwc(scope, xNhwc, dyNhwc, convInfo);
      return result;
    } finally {
      scope.dispose(result);
    }
  };
}
