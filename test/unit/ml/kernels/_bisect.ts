import * as tf from '@tensorflow/tfjs-core';
import { registerNodeGradients } from '../../../../src-main/core/ml/kernels';
import { createMicraNet } from '../../../../src-main/core/ml/model/micranet';
import { BLOCK_NAMES, POOL_AFTER, BN_EPSILON } from '../../../../src-main/core/ml/model/architecture';
import { useBackend } from '../../../integration/ml/tfBackends';

const SHAPE: [number, number, number, number] = [3, 16, 24, 1];
const input = new Float32Array(SHAPE.reduce((a, b) => a * b)).map((_, i) => 0.5 + 0.5 * Math.sin(i * 0.731) * Math.cos(i * 0.113));
const labelsArr = Float32Array.from([1, 0, 0, 1, 1, 1]);
const STAGES = ['conv', 'bn', 'relu', 'out'] as const;

const acts = new Map<string, Float32Array>();
async function run(backend: 'cpu' | 'wasm', net: ReturnType<typeof createMicraNet>, shapesOut: number[][]) {
  await useBackend(backend);
  const x = tf.tensor4d(input, SHAPE);
  const labels = tf.tensor2d(labelsArr, [3, 2]);
  const taps = shapesOut.map((s) => tf.zeros(s));
  const f = (...ts: tf.Tensor[]) => {
    let h: tf.Tensor4D = x;
    let k = 0;
    const tap = (t: tf.Tensor) => tf.add(t, ts[k++] as tf.Tensor) as tf.Tensor4D;
    for (const name of BLOCK_NAMES) {
      const w = net.variables.get(`conv${name}.weight`)!, b = net.variables.get(`conv${name}.bias`)!;
      const g = net.variables.get(`bnorm${name}.weight`)!, be = net.variables.get(`bnorm${name}.bias`)!;
      const y = tap(tf.add(tf.conv2d(h, w as tf.Tensor4D, 1, 'same'), b));
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      const bn = tap(tf.batchNorm(y, mean, variance, be, g, BN_EPSILON));
      h = tap(tf.relu(bn));
      acts.set(backend + name, Float32Array.from(h.dataSync()));
      if (POOL_AFTER.has(name)) h = tf.maxPool(h, 2, 2, 'valid');
      h = tap(h);
    }
    let feat = tf.max(h, [1, 2]) as tf.Tensor2D;
    feat = tf.dropout(feat, 0.5, undefined, 42) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(feat, net.variables.get('linear1.weight') as tf.Tensor2D), net.variables.get('linear1.bias')!);
    return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  };
  const grads = tf.grads(f)(taps);
  return grads.map((g) => Float32Array.from(g.dataSync()));
}

async function main() {
  if (process.env.DUMP) { registerNodeGradients(); await useBackend('cpu'); const net0 = createMicraNet({ inChannels: 1, numClasses: 2, seed: 21 });
    const o: Record<string, {shape: number[]; data: number[]}> = {}; for (const [k, v] of net0.variables) o[k] = { shape: v.shape, data: Array.from(v.dataSync()) };
    o['input'] = { shape: SHAPE, data: Array.from(input) };
    (await import('node:fs')).writeFileSync('/tmp/gradbug_weights.json', JSON.stringify(o)); return; }
  registerNodeGradients();
  await useBackend('cpu');
  const net = createMicraNet({ inChannels: 1, numClasses: 2, seed: 21 });
  // shapes
  const shapes: number[][] = [];
  const names: string[] = [];
  let [n, hh, ww] = SHAPE;
  for (const name of BLOCK_NAMES) {
    const c = net.variables.get(`conv${name}.weight`)!.shape[3]!;
    for (const st of STAGES) {
      const pooled = st === 'out' && POOL_AFTER.has(name);
      shapes.push([n, pooled ? hh / 2 : hh, pooled ? ww / 2 : ww, c]);
      names.push(`${name}.${st}`);
    }
    if (POOL_AFTER.has(name)) { hh /= 2; ww /= 2; }
  }
  const cpu = await run('cpu', net, shapes);
  const wasm = await run('wasm', net, shapes);
  (await import('node:fs')).writeFileSync('/tmp/gradbug_acts.json', JSON.stringify(Object.fromEntries([...acts].map(([k, v]) => [k, Array.from(v)]))));
  const nrm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
  for (const blk of ['2b']) {
    const i = names.indexOf(blk + '.relu'); const [N,H,W,C] = shapes[i]!;
    const c = cpu[i]!, w = wasm[i]!; const a = acts.get('wasm' + blk)!; const ac = acts.get('cpu' + blk)!; let shown = 0, cnt = 0;
    for (let j = 0; j < c.length; j++) if (Math.abs(c[j]! - w[j]!) > 1e-6 && a[j]! > 0) { cnt++; if (shown++ < 8) {
      const ch = j % C, x = Math.floor(j / C) % W, y = Math.floor(j / C / W) % H, n = Math.floor(j / C / W / H);
      const x0 = x - (x % 2), y0 = y - (y % 2); const win = [];
      for (const [dy, dx] of [[0,0],[0,1],[1,0],[1,1]]) { const k = ((n*H + y0+dy)*W + x0+dx)*C + ch; win.push(ac[k], a[k], c[k], w[k]); }
      console.log(blk, {n,y,x,ch}, 'val', a[j], 'cpu', c[j], 'wasm', w[j], 'window(val,cpu,wasm)', win.map(v=>v!.toPrecision(6)).join(' '));
    } }
    console.log(blk, 'positive-valued mismatches', cnt);
  }
  for (let i = names.length - 1; i >= 0; i--) {
    const c = cpu[i]!, w = wasm[i]!;
    console.log(names[i], 'rel', (nrm(c.map((v, j) => v - w[j]!)) / nrm(c)).toExponential(2), '|g|', nrm(c).toExponential(2));
  }
}
main();
