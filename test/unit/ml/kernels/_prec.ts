import * as tf from '@tensorflow/tfjs-core';
import { createMicraNet } from '../../../../src-main/core/ml/model/micranet';
import { useBackend } from '../../../integration/ml/tfBackends';
const SHAPE: [number, number, number, number] = [3, 16, 24, 1];
const input = new Float32Array(SHAPE.reduce((a, b) => a * b)).map((_, i) => 0.5 + 0.5 * Math.sin(i * 0.731) * Math.cos(i * 0.113));
async function main() {
  await useBackend('cpu');
  const net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 21 });
  const out: Record<string, number[]> = {};
  for (const be of ['cpu', 'wasm'] as const) {
    await useBackend(be);
    const x = tf.tensor4d(input, SHAPE);
    const w = net.variables.get('conv1a.weight')!, b = net.variables.get('conv1a.bias')!;
    const g = net.variables.get('bnorm1a.weight')!, beta = net.variables.get('bnorm1a.bias')!;
    const conv = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    const y = tf.add(conv, b);
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    const bn = tf.batchNorm(y, mean, variance, beta, g, 1e-5);
    const bnManual = tf.add(tf.mul(tf.sub(y, mean), tf.mul(g, tf.rsqrt(tf.add(variance, 1e-5)))), beta);
    const sumY = tf.sum(y, [0, 1, 2]);
    for (const [k, t] of Object.entries({ conv, y, mean, variance, bn, bnManual, sumY })) out[be + '.' + k] = Array.from(t.dataSync());
  }
  (await import('node:fs')).writeFileSync('/tmp/gradbug_prec.json', JSON.stringify(out));
}
main();
