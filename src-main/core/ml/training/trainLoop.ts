// The training loop: Adam on BCE-with-logits (multi-label, per-class weights), warm-up +
// cosine learning rate, augmentation, early stopping on validation loss with patience, best
// checkpoint kept, last checkpoint after every epoch (resume), cancel between steps (and between
// validation batches: a cancelled epoch is dropped, last/ stays at the epoch before).
// Reproducible: shuffling, augmentation and dropout draw from streams derived from `seed`
// and the epoch/step, so an interrupted and resumed run follows the uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';
import type { FineTuneMode } from '../model/architecture';
import type { MicraNet } from '../model/micranet';
import type { ModelCard } from '../weights/modelCard';
import { checkCancelled } from '../../jobs/jobContext';
import { Adam } from './adam';
import { augmentCrop } from './augment';
import { hasLastCheckpoint, loadLastCheckpoint, saveBestCheckpoint, saveLastCheckpoint, type LoopState } from './checkpoint';
import { learningRateAt } from './lrSchedule';
import { deriveSeed, mulberry32, shuffledIndices } from './seededRandom';
import type { EpochMetrics, TrainingProgress } from './trainingProgress';
import type { SampleSet, TrainingSample } from './trainingSet';

export interface TrainLoopOptions {
  net: MicraNet;
  /** The card saved with the best weights (thresholds and provenance are completed later). */
  card: ModelCard;
  mode: FineTuneMode;
  train: SampleSet;
  validation: SampleSet | null;
  /** Side of the (square) crops. */
  inputSize: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Default: one epoch's steps, at most 100. */
  warmupSteps?: number;
  /** Epochs without a lower validation loss before stopping. */
  patience: number;
  seed: number;
  augment: boolean;
  /** Folder of last/ and best/ (see checkpoint.ts). */
  checkpointDir: string;
  /** Continue from last/ when it exists. */
  resume: boolean;
  signal?: AbortSignal;
  /**
   * Runs each checkpoint write. The training worker passes a guard here so that a cancel that
   * ends the thread mid-step never ends it mid-write (see trainWorker.ts); default: just runs it.
   */
  critical?: <T>(write: () => Promise<T>) => Promise<T>;
  onProgress?: (p: TrainingProgress, done: number, total: number) => void;
}

export interface TrainLoopResult {
  history: EpochMetrics[];
  bestEpoch: number | null;
  bestValLoss: number | null;
  stoppedEarly: boolean;
  steps: number;
  seconds: number;
  resumedFromEpoch: number | null;
}

interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor2D;
  w: tf.Tensor2D;
}

async function makeBatch(samples: TrainingSample[], size: number, channels: number, classes: number): Promise<Batch> {
  const n = samples.length;
  const px = new Float32Array(n * size * size * channels);
  const y = new Float32Array(n * classes);
  const w = new Float32Array(n * classes);
  samples.forEach((s, i) => {
    px.set(s.pixels, i * size * size * channels);
    y.set(s.targets, i * classes);
    w.set(s.weights, i * classes);
  });
  return { x: tf.tensor4d(px, [n, size, size, channels]), y: tf.tensor2d(y, [n, classes]), w: tf.tensor2d(w, [n, classes]) };
}

function disposeBatch(b: Batch): void {
  b.x.dispose();
  b.y.dispose();
  b.w.dispose();
}

/** Correct and weighted counts of (logit ≥ 0) == target over weighted entries. */
function countCorrect(logits: Float32Array, targets: Float32Array, weights: Float32Array): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    if ((weights[i] as number) === 0) continue;
    total++;
    if (((logits[i] as number) >= 0 ? 1 : 0) === (targets[i] as number)) correct++;
  }
  return { correct, total };
}

/**
 * Eval-mode loss and accuracy over a whole set, with every crop's class probabilities
 * ([count × classes], sigmoid of the logits); checks `signal` between batches.
 */
export async function evaluateSet(
  net: MicraNet,
  set: SampleSet,
  size: number,
  batchSize: number,
  signal?: AbortSignal,
): Promise<{ loss: number; accuracy: number; probabilities: Float32Array }> {
  const probabilities = new Float32Array(set.count * net.numClasses);
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  let total = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    await checkCancelled(signal);
    const samples: TrainingSample[] = [];
    for (let i = start; i < Math.min(set.count, start + batchSize); i++) samples.push(await set.get(i));
    const b = await makeBatch(samples, size, net.inChannels, net.numClasses);
    const logits = net.predict(b.x);
    const loss = tf.losses.sigmoidCrossEntropy(b.y, logits, b.w, 0, tf.Reduction.SUM);
    lossSum += (await loss.data())[0] as number;
    const l = (await logits.data()) as Float32Array;
    l.forEach((v, i) => (probabilities[start * net.numClasses + i] = 1 / (1 + Math.exp(-v))));
    const t = (await b.y.data()) as Float32Array;
    const w = (await b.w.data()) as Float32Array;
    for (const v of w) weightSum += v;
    const c = countCorrect(l, t, w);
    correct += c.correct;
    total += c.total;
    loss.dispose();
    logits.dispose();
    disposeBatch(b);
  }
  return { loss: weightSum > 0 ? lossSum / weightSum : 0, accuracy: total > 0 ? correct / total : 0, probabilities };
}

export async function trainLoop(o: TrainLoopOptions): Promise<TrainLoopResult> {
  const { net, inputSize: size } = o;
  if (o.train.count < 1) throw new Error('the training split has no labelled crops');
  const batchSize = Math.max(1, Math.min(o.batchSize, o.train.count));
  const stepsPerEpoch = Math.max(1, Math.floor(o.train.count / batchSize));
  const totalSteps = stepsPerEpoch * o.epochs;
  const warmupSteps = o.warmupSteps ?? Math.min(100, stepsPerEpoch);
  const vars = net.trainableVariables(o.mode);
  const adam = new Adam(vars);
  const critical = o.critical ?? (<T>(write: () => Promise<T>) => write());
  let state: LoopState = { epochsDone: 0, globalStep: 0, bestValLoss: null, bestEpoch: null, epochsSinceBest: 0, history: [], seconds: 0 };
  let resumedFromEpoch: number | null = null;
  try {
    if (o.resume && hasLastCheckpoint(o.checkpointDir)) {
      state = await loadLastCheckpoint(o.checkpointDir, net, adam);
      resumedFromEpoch = state.epochsDone;
    }
    const sessionStart = performance.now();
    const secondsSoFar = state.seconds;
    let stoppedEarly = state.epochsSinceBest > o.patience;
    for (let epoch = state.epochsDone + 1; epoch <= o.epochs && !stoppedEarly; epoch++) {
      const epochStart = performance.now();
      const order = shuffledIndices(o.train.count, mulberry32(deriveSeed(o.seed, 1, epoch)));
      let lossSum = 0;
      let correct = 0;
      let total = 0;
      let lr = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        await checkCancelled(o.signal);
        const samples: TrainingSample[] = [];
        for (let k = 0; k < batchSize; k++) {
          const index = order[step * batchSize + k] as number;
          const s = await o.train.get(index);
          const pixels = o.augment ? augmentCrop(s.pixels, size, net.inChannels, mulberry32(deriveSeed(o.seed, 2 + epoch * 7919, index))) : s.pixels;
          samples.push({ ...s, pixels });
        }
        const b = await makeBatch(samples, size, net.inChannels, net.numClasses);
        lr = learningRateAt(state.globalStep, { baseLr: o.learningRate, totalSteps, warmupSteps, floorFraction: 0.05 });
        let logits: tf.Tensor | null = null;
        const dropoutSeed = deriveSeed(o.seed, 3, state.globalStep) % 2 ** 30;
        const { value, grads } = tf.variableGrads(() => {
          const l = net.forwardTrain(b.x, { dropoutSeed });
          logits = tf.keep(l);
          return tf.losses.sigmoidCrossEntropy(b.y, l, b.w) as tf.Scalar;
        }, vars);
        adam.apply(vars.map((v) => grads[v.name] as tf.Tensor), lr);
        const loss = (await value.data())[0] as number;
        const kept = logits as tf.Tensor | null;
        if (kept) {
          const c = countCorrect((await kept.data()) as Float32Array, (await b.y.data()) as Float32Array, (await b.w.data()) as Float32Array);
          correct += c.correct;
          total += c.total;
          kept.dispose();
        }
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
        disposeBatch(b);
        if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at step ${state.globalStep}`);
        lossSum += loss;
        state.globalStep++;
        o.onProgress?.(
          { type: 'step', epoch, epochs: o.epochs, step: step + 1, stepsPerEpoch, loss, learningRate: lr },
          state.globalStep,
          totalSteps,
        );
      }
      const val = o.validation && o.validation.count > 0 ? await evaluateSet(net, o.validation, size, batchSize, o.signal) : null;
      const trainLoss = lossSum / stepsPerEpoch;
      // Without a validation split, the training loss decides what "best" is.
      const criterion = val ? val.loss : trainLoss;
      const best = state.bestValLoss === null || criterion < state.bestValLoss;
      if (best) {
        state.bestValLoss = criterion;
        state.bestEpoch = epoch;
        state.epochsSinceBest = 0;
      } else state.epochsSinceBest++;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss,
        trainAccuracy: total > 0 ? correct / total : 0,
        valLoss: val ? val.loss : null,
        valAccuracy: val ? val.accuracy : null,
        learningRate: lr,
        seconds: (performance.now() - epochStart) / 1000,
        best,
      };
      state.history.push(metrics);
      state.epochsDone = epoch;
      state.seconds = secondsSoFar + (performance.now() - sessionStart) / 1000;
      // One guarded block: best/, last/ and the epoch's report stay in step however a cancel lands.
      await critical(async () => {
        if (best) await saveBestCheckpoint(o.checkpointDir, net, o.card, val?.probabilities);
        await saveLastCheckpoint(o.checkpointDir, net, adam, state);
        o.onProgress?.({ type: 'epoch', metrics }, state.globalStep, totalSteps);
      });
      if (state.epochsSinceBest > o.patience) stoppedEarly = true;
    }
    return {
      history: state.history,
      bestEpoch: state.bestEpoch,
      bestValLoss: state.bestValLoss,
      stoppedEarly,
      steps: state.globalStep,
      seconds: secondsSoFar + (performance.now() - sessionStart) / 1000,
      resumedFromEpoch,
    };
  } finally {
    adam.dispose();
  }
}
