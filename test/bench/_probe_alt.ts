import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/core/ml/backend';
await initBackend('wasm');
const time = async (name: string, f: () => tf.Tensor) => { const ts: number[] = []; for (let i = 0; i < 4; i++) { const t0 = performance.now(); const r = f(); await r.data(); ts.push(performance.now() - t0); r.dispose(); } console.log(name, Math.min(...ts.slice(1)).toFixed(0)); };
const N = 2, H = 256, C = 32;
const x = tf.randomNormal([N, H, H, C]) as tf.Tensor4D;
const dy = tf.randomNormal([N, H, H, C]) as tf.Tensor4D;
await time('sum012', () => tf.sum(x, [0, 1, 2]));
await time('mean012', () => tf.mean(x, [0, 1, 2]));
await time('sum0 of 2d', () => tf.sum(tf.reshape(x, [N * H * H, C]), 0));
await time('matmul ones', () => tf.matMul(tf.ones([1, N * H * H]), tf.reshape(x, [N * H * H, C])));
await time('conv fwd', () => tf.conv2d(x, tf.ones([3, 3, C, C]) as tf.Tensor4D, 1, 'same'));
await time('bpFilter conv', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, C] }) as tf.Tensor);
await time('bpFilter 9 matmuls', () => tf.tidy(() => {
  const xp = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const xt = tf.transpose(xp, [3, 0, 1, 2]); // [C, N, H+2, W+2]
  const d = tf.reshape(dy, [N * H * H, C]);
  const taps: tf.Tensor[] = [];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
    const s = tf.reshape(tf.slice(xt, [0, 0, a, b], [C, N, H, H]), [C, N * H * H]);
    taps.push(tf.matMul(s, d));
  }
  return tf.reshape(tf.stack(taps), [3, 3, C, C]);
}));
await time('transpose x', () => tf.transpose(x, [3, 1, 2, 0]));
