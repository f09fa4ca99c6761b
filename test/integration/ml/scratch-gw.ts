import * as tf from '@tensorflow/tfjs-core';
import { registerNodeGradients } from '../../../src-main/core/ml/kernels';
import { createMicraNet } from '../../../src-main/core/ml/model/micranet';
import { useBackend } from './tfBackends';
registerNodeGradients();
await useBackend('cpu');
const SHAPE = JSON.parse(process.argv[3] ?? "[3,16,24,1]") as [number, number, number, number];
const net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 21 });
const input = new Float32Array(SHAPE.reduce((a, b) => a * b)).map((_, i) => 0.5 + 0.5 * Math.sin(i * 0.731) * Math.cos(i * 0.113));
const mode = process.argv[2] ?? 'train';
const vars = net.trainableVariables('all');
const names = vars.map((v) => [...net.variables].find(([, w]) => w === v)?.[0]);
const run = () => {
  const x = tf.tensor4d(input, SHAPE);
  const labels = tf.tensor2d([1, 0, 0, 1, 1, 1].slice(0, SHAPE[0] * 2), [SHAPE[0], 2]);
  const f = (): tf.Scalar => {
    const logits = mode === 'train' ? net.forwardTrain(x, { dropoutSeed: 42, updateRunningStats: false }) : net.forwardWithActivations(x).logits;
    return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  };
  const { grads } = tf.variableGrads(f, vars);
  return vars.map((v) => Float32Array.from(grads[v.name]!.dataSync()));
};
const c = run();
await useBackend('wasm');
const w = run();
const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
c.forEach((g, i) => console.log(names[i], (norm(g.map((v, j) => v - w[i]![j]!)) / norm(g)).toExponential(2), norm(g).toExponential(2)));
