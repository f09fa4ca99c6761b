// MICRA-Net's outputs on whichever tfjs backend is active, for comparing backends with each
// other and with the PyTorch reference fixture (shared/fixtures/micranet-reference): the fused
// forward's logits, Grad-CAM of every block with the PCA map and precise mask
// (computeMaps, as `micra maps` and review run it), and one training step (loss, gradients and
// the weights after one Adam update). Used by the webgpu parity test (SwiftShader, 64²–128²
// crops) and by the GPU figures run (a real GPU, the fixture's full 256² images).
//
// Crops are cut from the fixture's inputs around the marked blobs, so small crops still hold
// the structures the network responds to; at 256² a crop is the whole fixture image.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { computeMaps } from '../../../src-main/core/ml/explain/micranetMaps';
import type { MicraNet } from '../../../src-main/core/ml/model/micranet';
import { Adam } from '../../../src-main/core/ml/training/adam';
import { readF32Array, readF32Manifest, type F32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';
import { loadMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';

export interface ParityPlan {
  /** The reference fixture's folder (manifest.json, weights and cases). */
  fixtureDir: string;
  /** Fixture cases to run: 0 and 1 are positive, 2 negative. */
  cases: number[];
  /** Crop side of the fused forward (predict) logits. */
  forwardSize: number;
  /** Crop side of Grad-CAM, the PCA map and the precise mask. */
  mapsSize: number;
  /** Crop side and batch of the training step. */
  trainSize: number;
  trainBatch: number;
  /** Leave the training step out (a backend too slow for it: tfjs's plain-JS cpu). */
  skipTrain?: boolean;
}

export interface CaseOutputs {
  case: number;
  forwardLogits: Float32Array;
  mapsLogits: Float32Array;
  gradcam: Float32Array[];
  gradcamSizes: [number, number][];
  pca: Float32Array;
  preciseRaw: Float32Array;
  preciseMask: Uint8Array;
}

export interface TrainOutputs {
  loss: number;
  /** Gradients of the loss, per trainable variable (PyTorch names). */
  gradients: Record<string, Float32Array>;
  /** Every variable after one Adam step (running statistics included). */
  weights: Record<string, Float32Array>;
}

export interface ParityOutputs {
  cases: CaseOutputs[];
  /** Null when the plan skipped it. */
  train: TrainOutputs | null;
  /** Wall time of each part (information only). */
  seconds: { forward: number; maps: number; train: number };
}

/** Fixed so that two backends run the very same step. */
export const TRAIN_LEARNING_RATE = 1e-3;
const DROPOUT_SEED = 11;

const manifests = new Map<string, Promise<F32Manifest>>();

async function fixtureArray(fixtureDir: string, name: string) {
  let m = manifests.get(fixtureDir);
  if (!m) {
    m = readF32Manifest(path.join(fixtureDir, 'manifest.json'));
    manifests.set(fixtureDir, m);
  }
  return readF32Array(await m, fixtureDir, name);
}

/**
 * A size × size crop of case `c`'s input, centred on the centroid of its marked blobs (the
 * image centre for the negative case), shifted to lie inside the image.
 */
export async function fixtureCrop(fixtureDir: string, c: number, size: number): Promise<Float32Array> {
  const input = await fixtureArray(fixtureDir, `case${c}/input`);
  const truth = await fixtureArray(fixtureDir, `case${c}/truth_mask`);
  const [h, w] = input.shape as [number, number];
  if (size > h || size > w) throw new Error(`a ${size}² crop does not fit case ${c}'s ${w}×${h} input`);
  let sx = 0;
  let sy = 0;
  let n = 0;
  truth.data.forEach((v, i) => {
    if (v > 0.5) {
      sx += i % w;
      sy += Math.floor(i / w);
      n++;
    }
  });
  const cx = n > 0 ? sx / n : w / 2;
  const cy = n > 0 ? sy / n : h / 2;
  const x0 = Math.min(w - size, Math.max(0, Math.round(cx - size / 2)));
  const y0 = Math.min(h - size, Math.max(0, Math.round(cy - size / 2)));
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) out.set(input.data.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + size), y * size);
  return out;
}

async function forwardLogits(net: MicraNet, pixels: Float32Array, size: number): Promise<Float32Array> {
  const x = tf.tensor4d(pixels, [1, size, size, 1]);
  try {
    const logits = net.predict(x);
    try {
      return Float32Array.from((await logits.data()) as Float32Array);
    } finally {
      logits.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** One training step of every layer: forwardTrain (fixed dropout), BCE, Adam. */
export async function trainingStep(net: MicraNet, plan: ParityPlan): Promise<TrainOutputs> {
  const { trainSize: size, trainBatch: batch } = plan;
  const pixels = new Float32Array(batch * size * size);
  const targets = new Float32Array(batch);
  for (let i = 0; i < batch; i++) {
    const c = plan.cases[i % plan.cases.length] as number;
    pixels.set(await fixtureCrop(plan.fixtureDir, c, size), i * size * size);
    targets[i] = c === 2 ? 0 : 1;
  }
  const trainable = net.trainableVariables('all');
  const nameOf = new Map([...net.variables].map(([name, v]) => [v, name] as const));
  const x = tf.tensor4d(pixels, [batch, size, size, 1]);
  const y = tf.tensor2d(targets, [batch, 1]);
  const adam = new Adam(trainable);
  try {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.sigmoidCrossEntropy(y, net.forwardTrain(x, { dropoutSeed: DROPOUT_SEED })) as tf.Scalar,
      trainable,
    );
    const ordered = trainable.map((v) => grads[v.name] as tf.Tensor);
    const loss = ((await value.data()) as Float32Array)[0] as number;
    const gradients: Record<string, Float32Array> = {};
    for (const [i, v] of trainable.entries()) gradients[nameOf.get(v) as string] = Float32Array.from((await (ordered[i] as tf.Tensor).data()) as Float32Array);
    adam.apply(ordered, TRAIN_LEARNING_RATE);
    tf.dispose([value, ...ordered]);
    const weights: Record<string, Float32Array> = {};
    for (const [name, v] of net.variables) weights[name] = Float32Array.from((await v.data()) as Float32Array);
    return { loss, gradients, weights };
  } finally {
    adam.dispose();
    tf.dispose([x, y]);
  }
}

/** Runs the plan on the active backend with the fixture's weights. */
export async function computeParity(plan: ParityPlan): Promise<ParityOutputs> {
  const manifest = path.join(plan.fixtureDir, 'manifest.json');
  const seconds = { forward: 0, maps: 0, train: 0 };
  const cases: CaseOutputs[] = [];
  const { net } = await loadMicraNetWeights(manifest);
  try {
    for (const c of plan.cases) {
      let t = performance.now();
      const forward = await forwardLogits(net, await fixtureCrop(plan.fixtureDir, c, plan.forwardSize), plan.forwardSize);
      seconds.forward += (performance.now() - t) / 1000;
      t = performance.now();
      const maps = await computeMaps(net, await fixtureCrop(plan.fixtureDir, c, plan.mapsSize), plan.mapsSize, plan.mapsSize, 0);
      seconds.maps += (performance.now() - t) / 1000;
      cases.push({
        case: c,
        forwardLogits: forward,
        mapsLogits: maps.logits,
        gradcam: maps.gradcam,
        gradcamSizes: maps.gradcamSizes,
        pca: maps.pca.data,
        preciseRaw: maps.preciseRaw.data,
        preciseMask: maps.preciseMask.data,
      });
    }
  } finally {
    net.dispose();
  }
  if (plan.skipTrain) return { cases, train: null, seconds };
  const t = performance.now();
  const { net: trained } = await loadMicraNetWeights(manifest);
  try {
    const train = await trainingStep(trained, plan);
    seconds.train = (performance.now() - t) / 1000;
    return { cases, train, seconds };
  } finally {
    trained.dispose();
  }
}
