import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src-main/core/ml/backend';
import { createMicraNet } from '../../src-main/core/ml/model/micranet';
await initBackend('wasm');
const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length / 2 ** 20;
const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 0 });
const N = 2, S = 256;
const x = tf.randomUniform([N, S, S, 1]) as tf.Tensor4D;
const y = tf.tensor2d(Float32Array.from({ length: N }, (_, i) => i % 2), [N, 1]);
const vars = net.trainableVariables('all');
const info = await tf.profile(() => {
  const { value, grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, net.forwardTrain(x)) as tf.Scalar, vars);
  console.log('after grads heap', heap());
  tf.dispose(Object.values(grads));
  return value;
});
console.log('peakMB', info.peakBytes / 2 ** 20, 'heap', heap());
const agg = new Map<string, { ms: number; n: number; mb: number }>();
for (const k of info.kernels) {
  const a = agg.get(k.name) ?? { ms: 0, n: 0, mb: 0 };
  a.ms += Number(k.kernelTimeMs); a.n++; a.mb += k.bytesAdded / 2 ** 20; agg.set(k.name, a);
}
console.log([...agg].sort((p, q) => q[1].ms - p[1].ms).map(([n, a]) => `${n}: ${a.ms.toFixed(0)}ms ×${a.n} +${a.mb.toFixed(0)}MB`).join('\n'));
