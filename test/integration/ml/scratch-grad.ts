import * as tf from '@tensorflow/tfjs-core';
import { registerNodeGradients } from '../../../src-main/core/ml/kernels';
import { createMicraNet } from '../../../src-main/core/ml/model/micranet';
import { useBackend } from './tfBackends';
registerNodeGradients();
await useBackend('cpu');
const SHAPE: [number, number, number, number] = [3, 16, 24, 1];
const net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 21 });
const input = new Float32Array(SHAPE.reduce((a, b) => a * b)).map((_, i) => 0.5 + 0.5 * Math.sin(i * 0.731) * Math.cos(i * 0.113));
const x = tf.tensor4d(input, SHAPE);
const labels = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
const mode = process.argv[2] ?? 'train';
const f = (): tf.Scalar => {
  const logits = mode === 'train' ? net.forwardTrain(x, { dropoutSeed: 42, updateRunningStats: false }) : net.forwardWithActivations(x).logits;
  return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
};
const vars = net.trainableVariables('all');
const names = vars.map((v) => [...net.variables].find(([, w]) => w === v)?.[0]);
const { grads } = tf.variableGrads(f, vars);
for (const [i, v] of vars.entries()) {
  const g = grads[v.name]!.dataSync();
  const o = Float32Array.from(v.dataSync());
  const d = Float32Array.from(tf.randomNormal(v.shape, 0, 1, 'float32', i + 1).dataSync());
  const pred = g.reduce((s, gv, j) => s + gv * d[j]!, 0);
  const eps = Number(process.argv[3] ?? 1e-3);
  const at = (t: number) => { v.assign(tf.tensor(o.map((val, j) => val + t * d[j]!), v.shape)); return f().dataSync()[0]!; };
  const num = (at(eps) - at(-eps)) / (2 * eps); at(0);
  console.log(names[i], pred.toExponential(4), num.toExponential(4));
}
