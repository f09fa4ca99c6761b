import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
const stock = getKernel('Conv2DBackpropInput', 'wasm')!;
import { initBackend } from '../../src-main/core/ml/backend';
await initBackend('wasm');
const time = (f: () => tf.Tensor, n = 3) => { const ts: number[] = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); const r = f(); r.dataSync(); ts.push(performance.now() - t0); r.dispose(); } return Math.min(...ts); };
for (const [N, H, C] of [[8, 256, 32], [8, 128, 64], [1, 512, 32]] as const) {
  const x = tf.randomNormal([N, H, H, C]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, C, C]) as tf.Tensor4D;
  const dy = tf.randomNormal([N, H, H, C]) as tf.Tensor4D;
  const fwd = time(() => tf.conv2d(x, w, 1, 'same'));
  const bi = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape }) as tf.Tensor);
  const bf = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape }) as tf.Tensor);
  const backend = tf.backend();
  stock.setupFunc?.(backend);
  const st = time(() => { const info = stock.kernelFunc({ inputs: { dy, filter: w }, backend, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape } }) as tf.TensorInfo; return tf.engine().makeTensorFromTensorInfo(info); }, 1);
  console.log(JSON.stringify({ N, H, C, fwdMs: fwd.toFixed(0), backpropInputFastMs: bi.toFixed(0), backpropInputStockMs: st.toFixed(0), backpropFilterFastMs: bf.toFixed(0) }));
  tf.dispose([x, w, dy]);
}
