// The training loop: Adam on BCE-with-logits (multi-label, per-class weights), warm-up +
// cosine learning rate, augmentation, early stopping on validation loss with patience, best
// checkpoint kept, last checkpoint after every epoch (resume), cancel between steps (and between
// validation batches: a cancelled epoch is dropped, last/ stays at the epoch before).
// Reproducible: shuffling, augmentation and dropout draw from streams derived from `seed`
// and the epoch/step, so an interrupted and resumed run follows the uninterrupted one.
// Steps are data-parallel over `workers` shard workers on the CPU backends (gradientEngine.ts,
// full-batch batch norm); in the modes with frozen blocks the frozen part runs in inference
// mode and, with `cacheFeatures`, once per (crop, dihedral variant) (featureCache.ts) — or
// not at all when an earlier run left them in the project's feature store (featureStore.ts).
// The README of this folder explains the design.
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { FineTuneMode } from '../model/architecture';
import type { MicraNet } from '../model/micranet';
import type { ModelCard } from '../weights/modelCard';
import { checkCancelled } from '../../jobs/jobContext';
import { Adam } from './adam';
import { DROPOUT_RATE, FEATURE_WIDTH } from '../model/architecture';
import { augmentCrop, cropVariantSubset, dihedralVariant, drawDihedralVariant } from './augment';
import { BLOCK_COUNT, changedByStep, evalFrom, featureShape, firstTrainableBlock } from './blockForward';
import type { FeatureCacheStats } from './featureCache';
import { frozenPartDigest } from './frozenDigest';
import { CropDigests, digestSeed, featureKey } from './featureKeys';
import { DEFAULT_FEATURE_STORE_BYTES, featureNamespaceId, openFeatureCache, type OpenedFeatureCache } from './featureStore';
import { frozenFeatures, prefetchFrozenFeatures, type FeatureRequest, type FrozenFeaturesOptions } from './frozenFeatures';
import { createGradientEngine, type GradientEngine } from './gradientEngine';
import { dropoutMultipliers } from './shardStep';
import { hasLastCheckpoint, loadLastCheckpoint, saveBestCheckpoint, saveLastCheckpoint, type LoopState } from './checkpoint';
import { learningRateAt } from './lrSchedule';
import { deriveSeed, mulberry32, shuffledIndices } from './seededRandom';
import type { EpochMetrics, TrainingProgress } from './trainingProgress';
import type { SampleSet, TrainingSample } from './trainingSet';
import { sigmoid } from '../sigmoid';

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
   * Shard workers of a data-parallel step (default: os.availableParallelism(); 1 trains in
   * this thread). Used on the CPU backends only; the same count gives the same weights.
   */
  workers?: number;
  /**
   * In modes with frozen blocks, compute their output once per (crop, dihedral variant) and
   * train from the cache (default true). false recomputes it every step: the same weights.
   */
  cacheFeatures?: boolean;
  /**
   * Modes with frozen blocks: dihedral variants each crop may take (1–8, default 2; see
   * augment.ts cropVariantSubset). Cached or not, the same draws.
   */
  frozenVariants?: number;
  /** Memory for cached features before they spill to their files (default 512 MiB). */
  featureCacheBytes?: number;
  /**
   * The persistent feature store's folder (the project's cache/features, see featureStore.ts):
   * features are kept there for later runs with the same frozen part and read from it. Absent
   * (or unusable): they live for this run only, spilled to <checkpointDir>/feature-cache.
   */
  featureStoreDir?: string;
  /** Disk bound of featureStoreDir, least recently used files pruned first (default 2 GiB). */
  featureStoreBytes?: number;
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
  /** Shard workers used per step. */
  workers: number;
  /** The feature cache's counters (modes with frozen blocks and cacheFeatures). */
  featureCache: FeatureCacheStats | null;
  /** Whether the features were kept in (and read from) the persistent store. */
  featureStore: boolean;
}

/** Folder of a run's own spilled features (no persistent store), removed when the loop ends. */
export const FEATURE_CACHE_DIR = 'feature-cache';
const DEFAULT_FEATURE_CACHE_BYTES = 512 * 1024 * 1024;
/** Dihedral variants per crop in frozen modes (see augment.ts cropVariantSubset). */
export const DEFAULT_FROZEN_VARIANTS = 2;

/**
 * The dihedral variants a crop may take in frozen modes, seeded by the run's seed and the crop's
 * content (featureKeys.ts): every epoch draws from these, and background preparation
 * (featurePrep.ts) computes exactly these.
 */
export function cropVariants(seed: number, digest: string, frozenVariants: number): number[] {
  return cropVariantSubset(mulberry32(deriveSeed(seed, 17, digestSeed(digest))), frozenVariants);
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

type SetEvaluation = { loss: number; accuracy: number; probabilities: Float32Array };

/**
 * Eval-mode loss and accuracy over a whole set, with every crop's class probabilities
 * ([count × classes], sigmoid of the logits); checks `signal` between batches.
 */
export async function evaluateSet(net: MicraNet, set: SampleSet, size: number, batchSize: number, signal?: AbortSignal): Promise<SetEvaluation> {
  return evaluateBatches(set, net.numClasses, batchSize, signal, async (_indices, samples) => {
    const x = tf.tensor4d(concat(samples.map((s) => s.pixels)), [samples.length, size, size, net.inChannels]);
    try {
      return net.predict(x);
    } finally {
      x.dispose();
    }
  });
}

/**
 * The loop of evaluateSet and evaluateFromFeatures: `logitsOf` gives a batch's eval-mode logits
 * (from pixels or from cached frozen features); loss, accuracy and probabilities are summed here.
 */
async function evaluateBatches(
  set: SampleSet,
  classes: number,
  batchSize: number,
  signal: AbortSignal | undefined,
  logitsOf: (indices: number[], samples: TrainingSample[]) => Promise<tf.Tensor>,
): Promise<SetEvaluation> {
  const probabilities = new Float32Array(set.count * classes);
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  let total = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    await checkCancelled(signal);
    const indices: number[] = [];
    for (let i = start; i < Math.min(set.count, start + batchSize); i++) indices.push(i);
    const samples: TrainingSample[] = [];
    for (const i of indices) samples.push(await set.get(i));
    const n = indices.length;
    const t = concat(samples.map((s) => s.targets));
    const w = concat(samples.map((s) => s.weights));
    const logits = await logitsOf(indices, samples);
    const y = tf.tensor2d(t, [n, classes]);
    const wt = tf.tensor2d(w, [n, classes]);
    const loss = tf.losses.sigmoidCrossEntropy(y, logits, wt, 0, tf.Reduction.SUM);
    lossSum += (await loss.data())[0] as number;
    const l = (await logits.data()) as Float32Array;
    l.forEach((v, i) => (probabilities[start * classes + i] = sigmoid(v)));
    for (const v of w) weightSum += v;
    const c = countCorrect(l, t, w);
    correct += c.correct;
    total += c.total;
    tf.dispose([y, wt, logits, loss]);
  }
  return { loss: weightSum > 0 ? lossSum / weightSum : 0, accuracy: total > 0 ? correct / total : 0, probabilities };
}

/** Everything one step's inputs need, for whichever path (pixels or frozen features) runs. */
interface StepInputs {
  x: Float32Array;
  shape: [number, number, number];
  from: number;
  targets: Float32Array;
  weights: Float32Array;
}

/** Concatenates per-sample arrays. */
function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
  const channels = net.inChannels;
  // Blocks before `trainFrom` are frozen (inference mode); with the cache, steps start there.
  const trainFrom = firstTrainableBlock(o.mode);
  const frozen = trainFrom > 0;
  const cached = frozen && (o.cacheFeatures ?? true);
  const changed = changedByStep(o.mode);
  let state: LoopState = { epochsDone: 0, globalStep: 0, bestValLoss: null, bestEpoch: null, epochsSinceBest: 0, history: [], seconds: 0 };
  let resumedFromEpoch: number | null = null;
  let engine: GradientEngine | null = null;
  let opened: OpenedFeatureCache | null = null;
  try {
    if (o.resume && hasLastCheckpoint(o.checkpointDir)) {
      state = await loadLastCheckpoint(o.checkpointDir, net, adam);
      resumedFromEpoch = state.epochsDone;
    }
    if (cached) opened = await openRunFeatureCache(o, trainFrom);
    const cache = opened?.cache ?? null;
    // After the resume: the workers start from the restored weights.
    engine = await createGradientEngine({ net, mode: o.mode, workers: o.workers ?? os.availableParallelism(), batchSize, backend: backendName() });
    const featureOptions = (): FrozenFeaturesOptions => {
      if (!cache || !engine) throw new Error('frozen features need the cache and the engine');
      return { engine, cache, size, channels, to: trainFrom, signal: o.signal };
    };
    // Crops are named by content (featureKeys.ts): in frozen modes, for their variants and cache keys.
    const trainDigests = new CropDigests();
    const validationDigests = new CropDigests();

    /** The epoch's training samples with their variants and cache requests (frozen modes). */
    const drawFrozen = (epoch: number, indices: readonly number[], samples: readonly TrainingSample[]) =>
      indices.map((index, k): FeatureRequest => {
        const digest = trainDigests.of(index, (samples[k] as TrainingSample).pixels);
        // The crop's variant subset follows its content, so a retrain with more crops keeps it (and its cached features).
        const subset = cropVariants(o.seed, digest, o.frozenVariants ?? DEFAULT_FROZEN_VARIANTS);
        const variant = o.augment ? drawDihedralVariant(mulberry32(deriveSeed(o.seed, 2 + epoch * 7919, index)), subset) : 0;
        return { key: featureKey(digest, variant), variant, pixels: async () => (await o.train.get(index)).pixels };
      });

    const loadSamples = async (indices: readonly number[]): Promise<TrainingSample[]> => {
      const samples: TrainingSample[] = [];
      for (const index of indices) samples.push(await o.train.get(index));
      return samples;
    };

    /** The inputs of one step: augmented crops, or their cached frozen features. */
    const stepInputs = async (epoch: number, indices: readonly number[]): Promise<StepInputs> => {
      const samples = await loadSamples(indices);
      const random = (index: number) => mulberry32(deriveSeed(o.seed, 2 + epoch * 7919, index));
      const targets = concat(samples.map((s) => s.targets));
      const weights = concat(samples.map((s) => s.weights));
      if (!frozen) {
        const pixels = samples.map((s, k) => (o.augment ? augmentCrop(s.pixels, size, channels, random(indices[k] as number)) : s.pixels));
        return { x: concat(pixels), shape: [size, size, channels], from: 0, targets, weights };
      }
      // Frozen blocks: geometric variants only, a few per crop (augment.ts), so that features can be cached.
      const requests = drawFrozen(epoch, indices, samples);
      if (!cache) {
        const pixels = samples.map((s, k) => dihedralVariant(s.pixels, size, channels, (requests[k] as FeatureRequest).variant));
        return { x: concat(pixels), shape: [size, size, channels], from: 0, targets, weights };
      }
      const f = await frozenFeatures(featureOptions(), requests);
      return { x: concat(f), shape: featureShape(net, size, trainFrom), from: trainFrom, targets, weights };
    };

    /** Validation: from cached features in frozen modes (the frozen part is the same every epoch). */
    const validate = async (set: SampleSet) => {
      if (!cache) return evaluateSet(net, set, size, batchSize, o.signal);
      return evaluateFromFeatures(net, set, trainFrom, featureShape(net, size, trainFrom), batchSize, o.signal, (indices, samples) =>
        frozenFeatures(
          featureOptions(),
          indices.map((index, k) => ({
            key: featureKey(validationDigests.of(index, (samples[k] as TrainingSample).pixels), 0),
            variant: 0,
            pixels: async () => (await set.get(index)).pixels,
          })),
        ),
      );
    };

    const sessionStart = performance.now();
    const secondsSoFar = state.seconds;
    let stoppedEarly = state.epochsSinceBest > o.patience;
    const epochOrder = (epoch: number) => shuffledIndices(o.train.count, mulberry32(deriveSeed(o.seed, 1, epoch)));
    const firstEpoch = state.epochsDone + 1;
    for (let epoch = firstEpoch; epoch <= o.epochs && !stoppedEarly; epoch++) {
      const epochStart = performance.now();
      const order = epochOrder(epoch);
      if (cache && epoch === firstEpoch) {
        // Every missing feature that the run's epochs draw, first, over every worker at once (steps
        // then only read them): groups stay full, where an epoch's few first-drawn variants would
        // leave workers idle. A run stopped early has computed a few variants for nothing.
        const all = await loadSamples(Array.from({ length: o.train.count }, (_, i) => i));
        const requests: FeatureRequest[] = [];
        for (let e = firstEpoch; e <= o.epochs; e++) {
          const indices = epochOrder(e).slice(0, stepsPerEpoch * batchSize);
          requests.push(...drawFrozen(e, indices, indices.map((i) => all[i] as TrainingSample)));
        }
        await prefetchFrozenFeatures(featureOptions(), requests);
      }
      let lossSum = 0;
      let correct = 0;
      let total = 0;
      let lr = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        await checkCancelled(o.signal);
        const batch = await stepInputs(epoch, order.slice(step * batchSize, (step + 1) * batchSize));
        lr = learningRateAt(state.globalStep, { baseLr: o.learningRate, totalSteps, warmupSteps, floorFraction: 0.05 });
        // One mask for the whole batch, whatever the number of workers.
        const dropout = dropoutMultipliers(mulberry32(deriveSeed(o.seed, 3, state.globalStep)), batchSize, FEATURE_WIDTH, DROPOUT_RATE);
        const r = await engine.step({ ...batch, n: batchSize, trainFrom, dropout });
        adam.apply(r.grads, lr);
        tf.dispose(r.grads);
        engine.changed(changed);
        const c = countCorrect(r.logits, batch.targets, batch.weights);
        correct += c.correct;
        total += c.total;
        const loss = r.loss;
        if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at step ${state.globalStep}`);
        lossSum += loss;
        state.globalStep++;
        o.onProgress?.(
          { type: 'step', epoch, epochs: o.epochs, step: step + 1, stepsPerEpoch, loss, learningRate: lr },
          state.globalStep,
          totalSteps,
        );
      }
      const val = o.validation && o.validation.count > 0 ? await validate(o.validation) : null;
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
      workers: engine.workers,
      featureCache: cache ? cache.stats() : null,
      featureStore: opened?.persistent ?? false,
    };
  } finally {
    adam.dispose();
    await engine?.close();
    opened?.close();
  }
}

/** What opening a run's feature cache needs (a training run's options, or a background preparation's). */
export type RunFeatureCacheOptions = Pick<TrainLoopOptions, 'net' | 'card' | 'inputSize' | 'checkpointDir' | 'featureStoreDir' | 'featureStoreBytes' | 'featureCacheBytes'>;

/** The run's feature cache: over the persistent store when one is given, in the namespace of this frozen part. */
export async function openRunFeatureCache(o: RunFeatureCacheOptions, to: number): Promise<OpenedFeatureCache> {
  const shape = featureShape(o.net, o.inputSize, to);
  const namespace = featureNamespaceId({
    frozenDigest: await frozenPartDigest(o.net, to),
    to,
    size: o.inputSize,
    channels: o.net.inChannels,
    preprocessing: o.card.preprocessing,
    backend: tf.getBackend(),
  });
  return openFeatureCache({
    storeRoot: o.featureStoreDir,
    storeBytes: o.featureStoreBytes ?? DEFAULT_FEATURE_STORE_BYTES,
    runDir: path.join(o.checkpointDir, FEATURE_CACHE_DIR),
    namespace,
    floats: shape[0] * shape[1] * shape[2],
    memoryBytes: o.featureCacheBytes ?? DEFAULT_FEATURE_CACHE_BYTES,
  });
}

/** The backend the shard workers start: the one this thread uses, when it is a CPU one. */
export function backendName(): 'wasm' | 'cpu' | undefined {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? name : undefined;
}

/**
 * evaluateSet from frozen features: eval-mode blocks [from, 8) and the head, on features that
 * `featuresOf` returns (cached after the first epoch).
 */
async function evaluateFromFeatures(
  net: MicraNet,
  set: SampleSet,
  from: number,
  shape: [number, number, number],
  batchSize: number,
  signal: AbortSignal | undefined,
  featuresOf: (indices: number[], samples: TrainingSample[]) => Promise<Float32Array[]>,
): Promise<SetEvaluation> {
  return evaluateBatches(set, net.numClasses, batchSize, signal, async (indices, samples) => {
    const x = tf.tensor4d(concat(await featuresOf(indices, samples)), [indices.length, ...shape]);
    try {
      return evalFrom(net, x, from);
    } finally {
      x.dispose();
    }
  });
}

/** Exposed for tests: the feature shape a mode trains from (null: no frozen blocks). */
export function cachedFeatureShape(net: MicraNet, mode: FineTuneMode, size: number): [number, number, number] | null {
  const from = firstTrainableBlock(mode);
  return from === 0 ? null : featureShape(net, size, from === BLOCK_COUNT ? BLOCK_COUNT : from);
}
