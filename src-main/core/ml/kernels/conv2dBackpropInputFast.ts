// Conv2DBackpropInput (the gradient of conv2d with respect to its input) through the wasm
// backend's fast forward Conv2D (XNNPACK). The stock wasm kernel is a scalar loop about 10×
// slower than the forward pass; this one costs about one forward pass.
//
// Why it is exact: dx[i] = Σ_k dy[(i + padTop − k) / s] · W[k] over the k where the index is a
// whole number in range. Spreading dy onto a grid with (s − 1) zeros between samples ("dy
// dilated") turns that into a stride-1 correlation of the dilated dy with the kernel flipped
// in both spatial axes and its in/out channels swapped, padded by (kh − 1 − padTop) at the top
// (a negative padding is a crop), the bottom padding chosen so the result has the input size.
import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelScope } from './kernelCalls';

export interface Conv2DBackpropInputArgs {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs: Conv2DBackpropInputAttrs;
}

/**
 * Inserts (stride − 1) zero rows/columns after every sample of `dy` [N, H', W', C], giving
 * [N, H'·sh, W'·sw, C]; the trailing zeros are accounted for by the caller's padding.
 */
function dilateWithZeros(scope: KernelScope, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const spread = scope.reshape(dy, [n, h, 1, w, 1, c]);
  const padded = scope.call('PadV2', { x: spread }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  return scope.reshape(padded, [n, h * sh, w * sw, c]);
}

/**
 * Pads (positive) or crops (negative) the two spatial axes of an NHWC tensor so the padding
 * left for the convolution is never negative. Returns the tensor and the non-negative pads.
 */
function cropNegativePads(
  scope: KernelScope,
  x: TensorInfo,
  pads: { top: number; bottom: number; left: number; right: number },
): { x: TensorInfo; pads: { top: number; bottom: number; left: number; right: number } } {
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  const positive = {
    top: Math.max(0, pads.top),
    bottom: Math.max(0, pads.bottom),
    left: Math.max(0, pads.left),
    right: Math.max(0, pads.right),
  };
  if (cropTop + cropBottom + cropLeft + cropRight === 0) return { x, pads: positive };
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const cropped = scope.slice(x, [0, cropTop, cropLeft, 0], [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c]);
  return { x: cropped, pads: positive };
}

/** dx for NHWC `dy` and `filter` [kh, kw, C_in, C_out], computed by wasm Conv2D calls. */
function backpropInputNhwc(
  scope: KernelScope,
  dy: TensorInfo,
  filter: TensorInfo,
  convInfo: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = convInfo;
  const flipped = scope.call('Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = scope.transpose(flipped, [0, 1, 3, 2]);
  const dilated = dilateWithZeros(scope, dy, sh, sw);
  const [, dh, dw] = dilated.shape as [number, number, number, number];
  const top = kh - 1 - convInfo.padInfo.top;
  const left = kw - 1 - convInfo.padInfo.left;
  const { x: source, pads } = cropNegativePads(scope, dilated, {
    top,
    left,
    bottom: inHeight + kh - 1 - dh - top,
    right: inWidth + kw - 1 - dw - left,
  });
  return scope.call('Conv2D', { x: source, filter: swapped }, {
    strides: 1,
    dilations: 1,
    pad: [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]],
    dataFormat: 'NHWC',
  });
}

/** The kernel function registered for Conv2DBackpropInput on `backendName`. */
export function makeConv2DBackpropInputFast(backendName: string) {
  return function conv2DBackpropInputFast(args: Conv2DBackpropInputArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const dy = inputs['dy'];
    const filter = inputs['filter'];
    if (dy == null || filter == null) throw new Error('Conv2DBackpropInput needs dy and filter');
    const channelsFirst = attrs.dataFormat === 'NCHW';
    const inputShape = attrs.inputShape;
    const nhwcInputShape: [number, number, number, number] = channelsFirst
      ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]]
      : inputShape;
    const convInfo = backend_util.computeConv2DInfo(
      nhwcInputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const scope = new KernelScope(backend, backendName);
    let result: TensorInfo | undefined;
    try {
      const dyNhwc = channelsFirst ? scope.transpose(dy, [0, 2, 3, 1]) : dy;
      const dx = backpropInputNhwc(scope, dyNhwc, filter, convInfo);
      result = channelsFirst ? scope.transpose(dx, [0, 3, 1, 2]) : dx;
      return result;
    } finally {
      scope.dispose(result);
    }
  };
}
