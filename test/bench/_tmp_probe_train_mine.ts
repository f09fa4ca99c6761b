import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/core/ml/backend';
import { createMicraNet } from '../../src-main/core/ml/model/micranet';
await initBackend((process.env.B as 'wasm' | 'cpu') ?? 'wasm');
const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 0 });
const N = Number(process.env.N ?? 8), S = Number(process.env.S ?? 256);
const x = tf.randomUniform([N, S, S, 1]) as tf.Tensor4D;
const y = tf.tensor2d(Float32Array.from({ length: N }, (_, i) => i % 2), [N, 1]);
const opt = tf.train.adam(1e-3);
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  const loss = opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, net.forwardTrain(x)) as tf.Scalar, true, net.trainableVariables('all'));
  const l = (await loss!.data())[0];
  loss!.dispose();
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.length;
  console.log(JSON.stringify({ N, S, ms: Math.round(performance.now() - t0), loss: l, tensors: tf.memory().numTensors, heapMB: heap ? heap / 2 ** 20 : null, rssMB: Math.round(process.memoryUsage().rss / 2 ** 20) }));
}
