// Gradients of the element-wise and shape kernels a MICRA-Net training step, its loss and
// Grad-CAM record on the tape. Ported from tfjs-core's own gradient configs (Apache-2.0),
// which its Node build does not register (see registerNodeGradients.ts for why), with two
// memory rules: no cast of a tensor that is already float32 (a full copy on wasm), and every
// temporary made inside the per-input closures (the tape tidies those, not the gradFunc).
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { broadcastShape, saved, unbroadcast } from './broadcastGrad';

const f32 = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));

export const elementwiseGradients: GradConfig[] = [
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s) => {
      const [a, b] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const out = broadcastShape(a, b);
      return { a: () => unbroadcast(dy as tf.Tensor, a.shape, out), b: () => unbroadcast(dy as tf.Tensor, b.shape, out) };
    },
  },
  {
    kernelName: 'Sub',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s) => {
      const [a, b] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const out = broadcastShape(a, b);
      return { a: () => unbroadcast(dy as tf.Tensor, a.shape, out), b: () => tf.neg(unbroadcast(dy as tf.Tensor, b.shape, out)) };
    },
  },
  {
    kernelName: 'Multiply',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s) => {
      const [a, b] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const out = broadcastShape(a, b);
      return {
        a: () => unbroadcast(tf.mul(dy as tf.Tensor, f32(b)), a.shape, out),
        b: () => unbroadcast(tf.mul(dy as tf.Tensor, f32(a)), b.shape, out),
      };
    },
  },
  {
    kernelName: 'RealDiv',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s) => {
      const [a, b] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      const out = broadcastShape(a, b);
      return {
        a: () => unbroadcast(tf.div(dy as tf.Tensor, f32(b)), a.shape, out),
        b: () => tf.neg(tf.div(unbroadcast(tf.mul(dy as tf.Tensor, f32(a)), b.shape, out), f32(tf.square(b)))),
      };
    },
  },
  {
    kernelName: 'SquaredDifference',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, s) => {
      const [a, b] = saved(s, 2) as [tf.Tensor, tf.Tensor];
      return { a: () => tf.mul(dy as tf.Tensor, tf.mul(2, tf.sub(a, b))), b: () => tf.mul(dy as tf.Tensor, tf.mul(2, tf.sub(b, a))) };
    },
  },
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: 'Cast', gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => f32(dy as tf.Tensor) }) },
  { kernelName: 'Floor', gradFunc: (dy) => ({ x: () => tf.zerosLike(dy as tf.Tensor) }) },
  {
    kernelName: 'Abs',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(f32(saved(s, 1)[0] as tf.Tensor), -1)) }),
  },
  {
    kernelName: 'Square',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(f32(saved(s, 1)[0] as tf.Tensor), 2)) }),
  },
  {
    kernelName: 'Sqrt',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.div(dy as tf.Tensor, tf.mul(tf.sqrt(f32(saved(s, 1)[0] as tf.Tensor)), 2)) }),
  },
  {
    kernelName: 'Rsqrt',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.neg(tf.div(dy as tf.Tensor, tf.mul(tf.pow(saved(s, 1)[0] as tf.Tensor, 1.5), 2))) }),
  },
  {
    kernelName: 'Exp',
    outputsToSave: [true],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as tf.Tensor, saved(s, 1)[0] as tf.Tensor) }),
  },
  {
    kernelName: 'Log1p',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.div(dy as tf.Tensor, tf.add(saved(s, 1)[0] as tf.Tensor, 1)) }),
  },
  {
    kernelName: 'Sigmoid',
    outputsToSave: [true],
    gradFunc: (dy, s) => {
      const y = saved(s, 1)[0] as tf.Tensor;
      return { x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y))) };
    },
  },
  {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(saved(s, 1)[0] as tf.Tensor)) }),
  },
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, s) => ({ x: () => tf.reshape(dy as tf.Tensor, (saved(s, 1)[0] as tf.Tensor).shape) }),
  },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _s, attrs: NamedAttrMap) => {
      const perm = attrs['perm'] as number[];
      return { x: () => tf.transpose(dy as tf.Tensor, tf.backend_util.getUndoAxesPermutation(perm)) };
    },
  },
];
