import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './tfBackends';
import { registerNodeGradients } from '../../../src-main/core/ml/kernels';
registerNodeGradients();
const res: Record<string, number[]> = {};
for (const b of ['cpu', 'wasm'] as const) {
  await useBackend(b);
  const z = tf.randomNormal([3, 8, 12, 64], 0, 1, 'float32', 7);
  const dy = tf.randomNormal([3, 4, 6, 64], 0, 1, 'float32', 8);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(t) as tf.Tensor4D, 2, 2, 'valid'), dy)))(z);
  const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(t) as tf.Tensor4D, 2, 2, 'valid'), dy)))(tf.mul(z, 0).add ? z : z);
  res[b] = Array.from(g.dataSync()); void g2;
}
let d = 0; let n = 0;
res.cpu!.forEach((v, i) => { d += (v - res.wasm![i]!) ** 2; n += v * v; });
console.log('relu→pool grad rel err', Math.sqrt(d / n));
