// Distillation: trains a screen to reproduce the full model's scores on a project's own crops
// (labelled or not: the full model's logits are the targets, labels are never read). Loss: binary
// cross-entropy against the teacher's probability plus a small squared error on the teacher's
// clipped logits, so the order of crops near the class threshold is learnt, not only their side of
// 0.5. Crops the teacher calls positive or nearly are rare in a sweep, so they are drawn 4× as
// often. Everything random (initial weights, batches, flips) comes from `seed`: the same crops and
// seed give the same screen on one backend. scripts/distillScreenTorch.py is the same recipe.
import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from '../../jobs/jobContext';
import { registerNodeGradients } from '../kernels';
import { deriveSeed, mulberry32 } from '../training/seededRandom';
import { defaultScreenShape, type ScreenShape } from './screenArchitecture';
import { ScreenNet } from './screenNet';
import { sigmoid } from '../sigmoid';

export interface DistillOptions {
  seed: number;
  steps: number;
  batchSize?: number;
  learningRate?: number;
  /** Default: screenArchitecture's (downsample 4, widths 16-16-32-32-64-64). */
  shape?: Pick<ScreenShape, 'downsample' | 'widths'>;
  /** Called after each step; return false to stop (a cancelled job). */
  onStep?: (step: number, loss: number) => boolean | void | Promise<boolean | void>;
}

/** Teacher probabilities above this make a crop "nearly positive": drawn more often. */
const NEAR_POSITIVE = 0.2;
const LOGIT_CLIP = 8;
const MSE_WEIGHT = 0.05;


/**
 * `crops`: preprocessed model inputs, each size × size × inChannels (HWC); `teacher`: the full
 * model's logits of each crop (one per class).
 */
export async function distillScreen(crops: readonly Float32Array[], size: number, inChannels: number, teacher: readonly Float32Array[], opts: DistillOptions): Promise<ScreenNet> {
  if (crops.length === 0) throw new Error('distillation needs crops');
  registerNodeGradients();
  if (crops.length !== teacher.length) throw new Error(`${crops.length} crops but ${teacher.length} teacher scores`);
  const numClasses = (teacher[0] as Float32Array).length;
  const base = defaultScreenShape(inChannels, numClasses);
  const shape: ScreenShape = { ...base, ...(opts.shape ?? {}), inChannels, numClasses };
  const net = new ScreenNet(shape, deriveSeed(opts.seed, 1));
  const small = await downsampleAll(net, crops, size, inChannels);
  const side = size / shape.downsample;
  const per = side * side * inChannels;
  const batchSize = opts.batchSize ?? 32;
  const random = mulberry32(deriveSeed(opts.seed, 2));
  const weights = teacher.map((z) => (Array.from(z).some((v) => sigmoid(v) > NEAR_POSITIVE) ? 4 : 1));
  const cumulative = weights.reduce<number[]>((acc, w) => (acc.push((acc.at(-1) ?? 0) + w), acc), []);
  const total = cumulative.at(-1) as number;
  const draw = (): number => {
    const r = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const optimizer = tf.train.adam(opts.learningRate ?? 2e-3);
  try {
    for (let step = 0; step < opts.steps; step++) {
      const x = new Float32Array(batchSize * per);
      const target = new Float32Array(batchSize * numClasses);
      for (let b = 0; b < batchSize; b++) {
        const k = draw();
        const src = small[k] as Float32Array;
        // Left-right flips: a marker is one whichever way the section was cut.
        if (random() < 0.5) flipRows(src, x, b * per, side, inChannels);
        else x.set(src, b * per);
        target.set(teacher[k] as Float32Array, b * numClasses);
      }
      const loss = tf.tidy(() => {
        const xb = tf.tensor4d(x, [batchSize, side, side, inChannels]);
        const z = tf.tensor2d(target, [batchSize, numClasses]);
        const p = tf.sigmoid(z);
        const zc = tf.clipByValue(z, -LOGIT_CLIP, LOGIT_CLIP);
        return optimizer.minimize(() => {
          const out = net.forwardSmall(xb);
          const bce = tf.losses.sigmoidCrossEntropy(p, out);
          return tf.add(bce, tf.mul(tf.losses.meanSquaredError(zc, out), MSE_WEIGHT)) as tf.Scalar;
        }, true, net.variables) as tf.Scalar;
      });
      const value = (await loss.data())[0] as number;
      loss.dispose();
      if ((await opts.onStep?.(step, value)) === false) break;
    }
  } catch (err) {
    net.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
  return net;
}

/** Every crop averaged down once (the screen's first op), as flat HWC arrays. */
async function downsampleAll(net: ScreenNet, crops: readonly Float32Array[], size: number, inChannels: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const [k, crop] of crops.entries()) {
    // This runs on the compute process's own thread: let its message loop breathe now and then.
    if (k % 32 === 31) await yieldToEventLoop();
    const small = tf.tidy(() => net.downsample(tf.tensor4d(crop, [1, size, size, inChannels])));
    // A copy: a backend's data() may hand out its own array.
    out.push(Float32Array.from((await small.data()) as Float32Array));
    small.dispose();
  }
  return out;
}

/** Copies an HWC image into `dst` at `offset`, mirrored left to right. */
function flipRows(src: Float32Array, dst: Float32Array, offset: number, side: number, channels: number): void {
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (let c = 0; c < channels; c++) dst[offset + (y * side + x) * channels + c] = src[(y * side + (side - 1 - x)) * channels + c] as number;
}

/** The screen's logits of each crop (full-size inputs), in batches. */
export async function screenLogits(net: ScreenNet, crops: readonly Float32Array[], size: number, inChannels: number, batch = 16): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const per = size * size * inChannels;
  for (let i = 0; i < crops.length; i += batch) {
    if (i > 0) await yieldToEventLoop();
    const part = crops.slice(i, i + batch);
    const data = new Float32Array(part.length * per);
    part.forEach((c, k) => data.set(c, k * per));
    const logits = tf.tidy(() => net.predict(tf.tensor4d(data, [part.length, size, size, inChannels])));
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    const classes = net.shape.numClasses;
    for (let k = 0; k < part.length; k++) out.push(values.slice(k * classes, (k + 1) * classes));
  }
  return out;
}
