// Gradients of the layer kernels of MICRA-Net: convolution, max pools, global max, mean/sum
// reductions, the linear layer's matMul and batch norm. Ported from tfjs-core's gradient
// configs (Apache-2.0). The backward convolutions run through engine.runKernel, so on wasm
// they land on the fast kernels of ../conv2dBackprop*Fast.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { saved } from './broadcastGrad';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as NamedAttrMap) as tf.Tensor;
}

/** matMul whose transposes are done explicitly: wasm's matMul with transposeA is very slow. */
function matMulExplicit(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  const swapLast = (t: tf.Tensor): tf.Tensor => {
    const perm = t.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1] as number, perm[r - 2] as number];
    return tf.transpose(t, perm);
  };
  return tf.matMul(transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b);
}

/** Grad of a max reduction: dy flows to every position equal to the maximum (tfjs semantics). */
function maxGrad(dy: tf.Tensor, y: tf.Tensor, x: tf.Tensor, axes: number[]): tf.Tensor {
  const keep = (t: tf.Tensor): tf.Tensor =>
    t.rank < x.rank ? tf.reshape(t, tf.backend_util.expandShapeToKeepDim(t.shape, axes)) : t;
  return tf.mul(keep(dy), tf.cast(tf.equal(x, keep(y)), dy.dtype));
}

export const layerGradients: GradConfig[] = [
  {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [x, filter] = saved(s, 2) as [tf.Tensor4D, tf.Tensor4D];
      const dilations = (attrs['dilations'] ?? 1) as number | [number, number];
      if (!tf.backend_util.tupleValuesAreOne(dilations)) {
        throw new Error(`gradient of conv2d with dilations ${String(dilations)} is not supported`);
      }
      const common = { strides: attrs['strides'], pad: attrs['pad'] as Pad, dataFormat: attrs['dataFormat'] ?? 'NHWC', dimRoundingMode: attrs['dimRoundingMode'] };
      return {
        x: () => runKernel('Conv2DBackpropInput', { dy: dy as tf.Tensor, filter }, { ...common, inputShape: x.shape }),
        filter: () => runKernel('Conv2DBackpropFilter', { x, dy: dy as tf.Tensor }, { ...common, filterShape: filter.shape }),
      };
    },
  },
  {
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [x, y] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const { filterSize, strides, pad, dimRoundingMode } = attrs;
      return { x: () => runKernel('MaxPoolGrad', { dy: dy as tf.Tensor, input: x, output: y }, { filterSize, strides, pad, dimRoundingMode }) };
    },
  },
  {
    kernelName: 'Max',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [x, y] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs['reductionIndices'] as number | number[], x.shape);
      return { x: () => maxGrad(dy as tf.Tensor, y, x, axes) };
    },
  },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [x] = saved(s, 1) as [tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
      const reduceSize = tf.util.sizeFromShape(tf.backend_util.computeOutAndReduceShapes(x.shape, axes)[1]);
      const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      // Materialised by a broadcasting multiply with ones: wasm's Tile (broadcastTo) is ~10× slower.
      return { x: () => tf.mul(tf.div(tf.reshape(dy as tf.Tensor, expanded), reduceSize), tf.ones(x.shape, 'float32')) };
    },
  },
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [x] = saved(s, 1) as [tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
      const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, expanded), tf.ones(x.shape, 'float32')) };
    },
  },
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [a, b] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const g = dy as tf.Tensor;
      const tA = attrs['transposeA'] === true;
      const tB = attrs['transposeB'] === true;
      if (!tA && !tB) return { a: () => matMulExplicit(g, b, false, true), b: () => matMulExplicit(a, g, true, false) };
      if (!tA && tB) return { a: () => matMulExplicit(g, b, false, false), b: () => matMulExplicit(g, a, true, false) };
      if (tA && !tB) return { a: () => matMulExplicit(b, g, false, true), b: () => matMulExplicit(a, g, false, false) };
      return { a: () => matMulExplicit(b, g, true, true), b: () => matMulExplicit(g, a, true, true) };
    },
  },
  {
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, s, attrs: NamedAttrMap) => {
      const [x, mean, variance, scale] = s as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      const g = dy as tf.Tensor;
      const epsilon = attrs['varianceEpsilon'] as number;
      // Axes over which per-channel parameters were broadcast (all but the last, for rank 1).
      const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
      const perChannel = (t: tf.Tensor): tf.Tensor => tf.reshape(mean.rank === 1 ? tf.sum(t, axes) : t, mean.shape);
      // Everything is computed inside the closures: the tape tidies each closure, while
      // temporaries made in gradFunc itself would live until the whole backward pass ends.
      const invStd = (): tf.Tensor => tf.rsqrt(tf.add(variance, epsilon));
      const scaled = (t: tf.Tensor): tf.Tensor => (scale ? tf.mul(t, scale) : t);
      return {
        // Per-channel factor first, so only one full-size product is made.
        x: () => tf.mul(g, scaled(invStd())),
        mean: () => tf.neg(scaled(tf.mul(perChannel(g), invStd()))),
        variance: () => {
          const factor = scaled(tf.mul(tf.pow(invStd(), 3), -0.5));
          return tf.mul(perChannel(tf.mul(g, tf.sub(x, mean))), factor);
        },
        scale: () => tf.mul(perChannel(tf.mul(g, tf.sub(x, mean))), invStd()),
        offset: () => perChannel(g),
      };
    },
  },
];
