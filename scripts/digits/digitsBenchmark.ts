// The paper's cluttered-digits benchmark run with the app's own training code: MICRA-Net from
// scratch on multi-label digit fields through trainLoop (Adam, BCE-with-logits, warm-up +
// cosine LR, per-epoch validation, best/last checkpoints), on the fastest backend initBackend()
// finds; then test accuracy of the best epoch's weights and precise-vs-coarse segmentation.
// Resumable: the checkpoints live in `workDir`, and a run with the same configuration
// continues from the last completed epoch (a different configuration is refused, not mixed).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initBackend, type BackendInfo, type BackendName } from '../../src-main/core/ml/backend';
import { predictProbabilities } from '../../src-main/core/ml/evaluation/predictProbabilities';
import { createMicraNet } from '../../src-main/core/ml/model/micranet';
import { bestManifestPath } from '../../src-main/core/ml/training/checkpoint';
import { trainLoop } from '../../src-main/core/ml/training/trainLoop';
import { loadMicraNetWeights } from '../../src-main/core/ml/weights/micranetWeights';
import { ModelCardSchema } from '../../src-main/core/ml/weights/modelCard';
import { classificationScores } from '../../src-main/core/metrics';
import { BenchEta } from './benchEta';
import { DIGIT_CLASSES, digitField, digitSampleSet } from './digitFields';
import { DigitsReportSchema, type DigitsReport } from './digitsReport';
import { segmentTestFields } from './digitsSegmentation';

export const PAPER = { trainFields: 2000, validationFields: 1000, testFields: 1000, fieldSize: 256 } as const;

export interface DigitsBenchConfig {
  train: number;
  validation: number;
  test: number;
  epochs: number;
  size: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Test fields whose present digits are segmented (each costs a Grad-CAM per digit class). */
  segment: number;
  /** Shard workers of each data-parallel step; 0: the training loop's default (every core). */
  workers: number;
}

export interface DigitsBenchProgress {
  phase: 'train' | 'validation' | 'test' | 'segment';
  done: number;
  total: number;
  /** Seconds left for the whole run, when it can be estimated yet. */
  etaSeconds: number | null;
  detail: string;
}

export interface DigitsBenchOptions {
  workDir: string;
  /** Start over instead of resuming. */
  fresh?: boolean;
  backend?: BackendName;
  signal?: AbortSignal;
  onProgress?: (p: DigitsBenchProgress) => void;
}

/**
 * Accuracy of answering each class with its majority in the training fields (present or absent,
 * ignoring the image): the score a network reaches by learning the label prior alone. With up to
 * 20 digits per 256² field most classes are present in most fields, so this is well above 0.5.
 */
export function majorityBaseline(trainFields: number, size: number, testLabels: Float32Array, testFields: number): number {
  const present = new Array<number>(DIGIT_CLASSES).fill(0);
  for (let i = 0; i < trainFields; i++) digitField('train', i, size).labels.forEach((v, d) => (present[d] = (present[d] as number) + v));
  let right = 0;
  for (let i = 0; i < testFields; i++)
    for (let d = 0; d < DIGIT_CLASSES; d++) if ((testLabels[i * DIGIT_CLASSES + d] === 1) === (present[d] as number) * 2 >= trainFields) right++;
  return right / (testFields * DIGIT_CLASSES);
}

export function checkConfig(c: DigitsBenchConfig): void {
  for (const [k, v] of Object.entries(c)) if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a non-negative number, got ${v}`);
  if (c.train < 1 || c.test < 1 || c.epochs < 1 || c.batchSize < 1) throw new RangeError('train, test, epochs and batch size must be ≥ 1');
  if (c.size % 8 !== 0 || c.size < 32) throw new RangeError(`size must be a multiple of 8 and ≥ 32 (digits are 28 px), got ${c.size}`);
}

/** The work folder is tied to one configuration: resuming another one's checkpoints would mix runs. */
async function prepareWorkDir(dir: string, config: DigitsBenchConfig, fresh: boolean): Promise<void> {
  if (fresh) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'config.json');
  const text = JSON.stringify(config);
  if (existsSync(file)) {
    const saved = await readFile(file, 'utf8');
    if (saved !== text) throw new Error(`${dir} holds a run of another configuration (${saved}); pass --fresh or another --work folder`);
  } else await writeFile(file, text);
}

export async function runDigitsBenchmark(config: DigitsBenchConfig, o: DigitsBenchOptions): Promise<DigitsReport> {
  checkConfig(config);
  const backend: BackendInfo = await initBackend(o.backend);
  await prepareWorkDir(o.workDir, config, o.fresh ?? false);
  const { size } = config;
  const segmentFields = Math.min(config.segment, config.test);
  const batchSize = Math.min(config.batchSize, config.train);
  const stepsPerEpoch = Math.max(1, Math.floor(config.train / batchSize));
  const eta = new BenchEta({ totalSteps: stepsPerEpoch * config.epochs, batchSize, epochs: config.epochs, validationFields: config.validation, testFields: config.test, segmentFields });
  const done = { stepsDone: 0, epochsDone: 0, testDone: 0, segmentDone: 0 };
  const report = (phase: DigitsBenchProgress['phase'], n: number, total: number, detail: string) =>
    o.onProgress?.({ phase, done: n, total, etaSeconds: eta.remaining(done), detail });

  const card = ModelCardSchema.parse({
    classes: Array.from({ length: DIGIT_CLASSES }, (_, d) => `digit ${d}`),
    inputSize: size,
    inChannels: 1,
    preprocessing: {},
    classThresholds: new Array<number>(DIGIT_CLASSES).fill(0.5),
    provenance: { dataset: JSON.stringify({ benchmark: 'cluttered-digits', ...config }), backend: backend.name },
  });
  const checkpointDir = path.join(o.workDir, 'checkpoint');
  const net = createMicraNet({ inChannels: 1, numClasses: DIGIT_CLASSES, seed: config.seed });
  // Training time of this session, validation passes apart: the basis of the full-scale estimate.
  // Each progress event closes the span since the previous one: a step's, or an epoch's validation.
  // CPU time too (every thread of the process): on a shared machine the wall clock also counts
  // other people's work, and the CPU time is what a machine of one's own would need per core.
  const cpuNow = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const cpuStart = cpuNow();
  let mark = performance.now();
  let cpuMark = cpuNow();
  let trainSeconds = 0;
  let trainCpuSeconds = 0;
  let trainCrops = 0;
  let loop;
  try {
    loop = await trainLoop({
      net,
      card,
      mode: 'all',
      train: digitSampleSet('train', config.train, size),
      validation: config.validation > 0 ? digitSampleSet('validation', config.validation, size) : null,
      inputSize: size,
      epochs: config.epochs,
      batchSize,
      learningRate: config.learningRate,
      // Every epoch runs: the learning curve is the point, and the best epoch is kept anyway.
      patience: config.epochs,
      seed: config.seed,
      // Flips and rotations by 90° turn a 6 into a 9 and mirror digits: no augmentation.
      augment: false,
      checkpointDir,
      resume: true,
      ...(config.workers > 0 ? { workers: config.workers } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      onProgress: (p, stepsDone) => {
        const now = performance.now();
        const seconds = (now - mark) / 1000;
        mark = now;
        const cpu = cpuNow();
        const cpuSeconds = cpu - cpuMark;
        cpuMark = cpu;
        done.stepsDone = stepsDone;
        if (p.type === 'step') {
          trainSeconds += seconds;
          trainCpuSeconds += cpuSeconds;
          trainCrops += batchSize;
          eta.step(seconds);
          report('train', stepsDone, stepsPerEpoch * config.epochs, `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)}`);
        } else {
          eta.evaluated(config.validation, seconds);
          done.epochsDone = p.metrics.epoch;
          const m = p.metrics;
          report('validation', m.epoch, config.epochs, `epoch ${m.epoch} train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(4)}` + (m.valLoss === null ? '' : ` · val loss ${m.valLoss.toFixed(4)} acc ${(m.valAccuracy ?? 0).toFixed(4)}`));
        }
      },
    });
  } finally {
    net.dispose();
  }
  done.stepsDone = loop.steps;
  done.epochsDone = loop.history.length;

  // The best epoch's weights (lowest validation loss), as the app's models are finalised.
  const best = await loadMicraNetWeights(bestManifestPath(checkpointDir));
  try {
    const evalStart = performance.now();
    const evalCpuStart = cpuNow();
    const test = digitSampleSet('test', config.test, size);
    const probabilities = await predictProbabilities(best.net, test, size, {
      ...(o.signal ? { signal: o.signal } : {}),
      progress: (n, total) => {
        done.testDone = n;
        eta.evaluated(n, (performance.now() - evalStart) / 1000);
        report('test', n, total, `test fields ${n}/${total}`);
      },
    });
    const testSeconds = (performance.now() - evalStart) / 1000;
    const testCpuSeconds = cpuNow() - evalCpuStart;
    const labels = new Float32Array(config.test * DIGIT_CLASSES);
    for (let i = 0; i < config.test; i++) labels.set(digitField('test', i, size).labels, i * DIGIT_CLASSES);
    const scores = classificationScores({ count: config.test, classes: DIGIT_CLASSES, scores: probabilities, labels }, 0.5);
    const baseline = majorityBaseline(config.train, size, labels, config.test);

    const segmentStart = performance.now();
    const segmentCpuStart = cpuNow();
    const segmentation = await segmentTestFields(best.net, { fields: segmentFields, size, probabilities }, (n, total) => {
      done.segmentDone = n;
      eta.segmented(n, (performance.now() - segmentStart) / 1000);
      report('segment', n, total, `segmented fields ${n}/${total}`);
    });
    const segmentSeconds = (performance.now() - segmentStart) / 1000;
    const segmentCpuSeconds = cpuNow() - segmentCpuStart;
    const evaluationSeconds = (performance.now() - evalStart) / 1000;

    const perTrainCrop = trainCrops > 0 ? trainSeconds / trainCrops : loop.seconds / Math.max(1, loop.history.length * stepsPerEpoch * batchSize);
    const perEvalField = testSeconds / config.test;
    const perSegmentField = segmentFields > 0 ? segmentSeconds / segmentFields : 0;
    const pixels = (PAPER.fieldSize / size) ** 2;
    const fullScale = (train: number, forward: number, segment: number): number =>
      pixels * (config.epochs * (PAPER.trainFields * train + PAPER.validationFields * forward) + PAPER.testFields * (forward + segment));
    const full = fullScale(perTrainCrop, perEvalField, perSegmentField);
    const fullCpu =
      trainCrops > 0
        ? fullScale(trainCpuSeconds / trainCrops, testCpuSeconds / config.test, segmentFields > 0 ? segmentCpuSeconds / segmentFields : 0)
        : null;

    return DigitsReportSchema.parse({
      benchmark: 'cluttered-digits',
      paper: {
        ...PAPER,
        accuracy: 0.989,
        accuracySd: 0.005,
        segmentation: 'precise (PCA of all Grad-CAM maps) better than coarse (last block)',
      },
      scale: {
        trainFields: config.train,
        validationFields: config.validation,
        testFields: config.test,
        epochs: config.epochs,
        fieldSize: size,
        batchSize,
        learningRate: config.learningRate,
        seed: config.seed,
        segmentedFields: segmentFields,
        workers: loop.workers,
        fullScale: config.train >= PAPER.trainFields && config.validation >= PAPER.validationFields && config.test >= PAPER.testFields && size === PAPER.fieldSize,
      },
      backend: { name: backend.name, reason: backend.reason, threads: backend.threads },
      learningCurve: loop.history.map((e) => ({
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        trainAccuracy: e.trainAccuracy,
        valLoss: e.valLoss,
        valAccuracy: e.valAccuracy,
        learningRate: e.learningRate,
        seconds: e.seconds,
      })),
      bestEpoch: loop.bestEpoch,
      test: {
        accuracy: scores.meanAccuracy,
        exactMatch: scores.exactMatch,
        meanF1: scores.meanF1,
        majorityBaselineAccuracy: baseline,
        perClassAccuracy: scores.perClass.map((c) => c.accuracy),
      },
      segmentation,
      timing: {
        trainSeconds: loop.seconds,
        evaluationSeconds,
        resumedFromEpoch: loop.resumedFromEpoch,
        trainCropsPerSecond: perTrainCrop > 0 ? 1 / perTrainCrop : 0,
        cpuSeconds: cpuNow() - cpuStart,
        trainCpuSecondsPerCrop: trainCrops > 0 ? trainCpuSeconds / trainCrops : null,
      },
      fullScaleEstimate: {
        epochs: config.epochs,
        seconds: full,
        hours: full / 3600,
        cpuHours: fullCpu === null ? null : fullCpu / 3600,
        basis:
          `this run's per-field costs on ${backend.name}, ${loop.workers} training worker(s) (train ${perTrainCrop.toFixed(3)} s, forward ${perEvalField.toFixed(3)} s, ` +
          `segmentation ${perSegmentField.toFixed(3)} s at ${size}²) × ${pixels.toFixed(2)} for 256² fields, ` +
          `${config.epochs} epochs of 2,000 training + 1,000 validation fields, then 1,000 test fields classified and segmented`,
      },
    });
  } finally {
    best.net.dispose();
  }
}
