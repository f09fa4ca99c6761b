// `npm run train:default`: trains the bundled default model (models/default/) on the synthetic
// SEM generator (test/generators/sem): 256² crops, one class "Axon DAB", then chooses the
// class threshold on the validation crops (max F1 of the PR curve) and measures held-out
// accuracy, detection and segmentation on test crops generated from other seeds.
//
// Phases (all by default): `--phase train` runs (or resumes) the training into WORK_DIR;
// `--phase finish` resumes (nothing left to train when it completed) and evaluates + writes
// models/default/; `--phase stats` only regenerates the training and validation crops of the
// configuration and writes their statistics (card.trainingData: bit depth, intensities,
// positive rates, for the sweep's out-of-distribution warnings) into OUT_DIR's existing card,
// leaving the weights alone. The run is resumable: kill it and start it again, it continues from the
// last epoch's checkpoint.
//
// The defaults are the run that produced models/default/: from scratch (random initialisation,
// every layer), 640 training crops (35 % positive) for 2 epochs of batch 4 (320 Adam steps,
// 1e-3 with 30 warm-up steps and a cosine tail), wasm backend on one core of this 2-core
// machine: about 45 min of training under load, a few minutes of evaluation. The run is
// seeded, so the same backend gives the same weights. `STYLE=varied` trains on randomised
// looks instead; `scripts/heldOutStyles.ts` compares candidates on styles no training draws
// (models/README.md has the figures of the one candidate tried).
//
// Environment: MICRA_BACKEND (default wasm), STYLE (default classic), TRAIN_CROPS, VAL_CROPS, TEST_CROPS, POS_FRACTION,
// EPOCHS, BATCH, LR, WARMUP, SWEEP_PRIOR (negatives per positive crop the class threshold is
// chosen for, default 16), SEED, WORK_DIR, OUT_DIR, PARENT (a weights manifest to fine-tune
// from, or none, the default, to train from scratch), MODE (fine-tuning mode, default all).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, isBackendName } from '../src-main/core/ml/backend';
import { createMicraNet, type MicraNet } from '../src-main/core/ml/model/micranet';
import type { FineTuneMode } from '../src-main/core/ml/model/architecture';
import { loadMicraNetWeights } from '../src-main/core/ml/weights/micranetWeights';
import { trainLoop } from '../src-main/core/ml/training/trainLoop';
import type { SampleSet } from '../src-main/core/ml/training/trainingSet';
import { ModelCardSchema, PreprocessingSchema, TrainingDataStatsSchema, type ModelCard, type TrainingDataStats } from '../src-main/core/ml/weights/modelCard';
import { finishDefaultModel, modelInput, type FinishedTraining } from './defaultModelFinish';
import { bestManifestPath } from '../src-main/core/ml/training/checkpoint';
import { intensityStatsFromHistogram } from '../src-main/core/ml/distributionCheck';
import { generateSemCrops, type SemCrop } from '../test/generators/sem';
import { HELD_OUT_STYLE_FAMILIES, isSemStyleFamily, type SemStyleFamily } from '../test/generators/sem/semStyle';

const env = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

function preprocessingFromEnv(norm: string): unknown {
  if (norm === 'none') return { invert: false, normalisation: { kind: 'none' } };
  const [low, high] = norm.split(':').map(Number);
  return { invert: false, normalisation: { kind: 'percentile', low, high } };
}

const config = {
  seed: env('SEED', 20240611),
  cropSize: 256 as const,
  trainCrops: env('TRAIN_CROPS', 640),
  valCrops: env('VAL_CROPS', 160),
  testCrops: env('TEST_CROPS', 200),
  positiveFraction: env('POS_FRACTION', 0.35),
  epochs: env('EPOCHS', 2),
  batchSize: env('BATCH', 4),
  learningRate: env('LR', 1e-3),
  parent: process.env['PARENT'] ?? 'none',
  mode: (process.env['MODE'] ?? 'all') as FineTuneMode,
  warmupSteps: env('WARMUP', 30),
  patience: 3,
  sweepNegativesPerPositive: env('SWEEP_PRIOR', 16),
  generatorSeeds: { train: 101, validation: 202, test: 303 },
  /**
   * Style family of the training, validation and test crops (test/generators/sem/semStyle.ts):
   * 'classic' (the bundled model's) or 'varied' (randomised looks); never a held-out family.
   */
  style: (process.env['STYLE'] ?? 'classic') as SemStyleFamily,
  /**
   * The card's input preprocessing: NORM=none (the bundled model's until 2026-12) or NORM=1:99,
   * a per-crop percentile stretch (1st → 0, 99th → 1) that makes the model blind to a lab's
   * brightness, gain and offset.
   */
  preprocessing: PreprocessingSchema.parse(preprocessingFromEnv(process.env['NORM'] ?? 'none')),
};
if (!isSemStyleFamily(config.style) || HELD_OUT_STYLE_FAMILIES.includes(config.style)) throw new Error(`STYLE must be a training family, got ${config.style}`);

/** 8-bit grey crops → values in [0, 1], then the card's preprocessing (as a sweep reads them). */
function semSampleSet(crops: readonly SemCrop[]): SampleSet {
  return {
    count: crops.length,
    get: async (i) => {
      const c = crops[i];
      if (!c) throw new RangeError(`no crop ${i}`);
      return { pixels: modelInput(c.pixels, config.preprocessing), targets: Float32Array.of(c.label), weights: Float32Array.of(1) };
    },
  };
}

/** What the model is trained on, for the sweep's out-of-distribution warnings. */
function trainingDataStats(train: readonly SemCrop[], validation: readonly SemCrop[]): TrainingDataStats {
  const histogram = new Array<number>(256).fill(0);
  for (const c of train) for (const v of c.pixels) histogram[v]!++;
  return TrainingDataStatsSchema.parse({
    bitDepth: 8,
    intensity: intensityStatsFromHistogram(histogram),
    validationPositiveRate: validation.filter((c) => c.label === 1).length / validation.length,
    sweepPositiveRate: 1 / (1 + config.sweepNegativesPerPositive),
  });
}

/** The training figures trainDefaultTorch.py stores in its manifest. */
async function externalTraining(manifestPath: string): Promise<FinishedTraining & { record: Record<string, unknown> }> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { training?: { steps?: number; seconds?: number } & Record<string, unknown> };
  const steps = manifest.training?.steps;
  const seconds = manifest.training?.seconds;
  if (typeof steps !== 'number' || typeof seconds !== 'number') throw new Error(`${manifestPath} has no training.steps and training.seconds (not written by trainDefaultTorch.py?)`);
  return { history: [], bestEpoch: null, steps, seconds, record: manifest.training ?? {} };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { phase: { type: 'string', default: 'all' } } });
  const phase = values.phase ?? 'all';
  const requested = process.env['MICRA_BACKEND'] ?? 'wasm';
  const backend = await initBackend(isBackendName(requested) ? requested : 'wasm');
  const workDir = process.env['WORK_DIR'] ?? path.join(os.tmpdir(), 'micra-train-default');
  const outDir = process.env['OUT_DIR'] ?? path.resolve(import.meta.dirname, '..', 'models', 'default');
  await mkdir(workDir, { recursive: true });
  const log = (o: object) => console.log(JSON.stringify(o));
  log({ event: 'start', phase, backend: backend.name, config, workDir });

  const t0 = performance.now();
  const train = generateSemCrops({ seed: config.generatorSeeds.train, cropSize: config.cropSize, count: config.trainCrops, positiveFraction: config.positiveFraction, style: config.style });
  const validation = generateSemCrops({ seed: config.generatorSeeds.validation, cropSize: config.cropSize, count: config.valCrops, positiveFraction: config.positiveFraction, style: config.style });
  log({ event: 'data', train: train.length, validation: validation.length, seconds: (performance.now() - t0) / 1000 });
  const trainingData = trainingDataStats(train, validation);
  if (phase === 'stats') {
    const manifestPath = path.join(outDir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { card?: Record<string, unknown> };
    manifest.card = { ...manifest.card, trainingData };
    await writeFile(manifestPath, JSON.stringify(manifest, null, 1));
    log({ event: 'stats', manifestPath, trainingData });
    return;
  }

  const card: ModelCard = ModelCardSchema.parse({
    classes: ['Axon DAB'],
    inputSize: config.cropSize,
    inChannels: 1,
    preprocessing: config.preprocessing,
    classThresholds: [0.5],
    provenance: { parent: config.parent === 'none' ? null : config.parent, dataset: null, trainedAt: null, backend: backend.name, epochs: null, metrics: {} },
  });
  const external = process.env['WEIGHTS'];
  let result: FinishedTraining;
  let provenance: Record<string, unknown> = { ...config };
  let trainedOn: string = backend.name;
  if (external) {
    // Weights trained elsewhere (scripts/trainDefaultTorch.py): only the finish runs here, and
    // the card records that trainer's settings instead of this script's training ones.
    const { record, ...figures } = await externalTraining(external);
    result = figures;
    const { style, cropSize, valCrops, testCrops, generatorSeeds, sweepNegativesPerPositive, preprocessing } = config;
    const init = (record['args'] as { init?: unknown } | undefined)?.init;
    const parent = typeof init === 'string' && init !== 'scratch' ? init : 'none';
    trainedOn = `${String(record['backend'] ?? 'PyTorch')} (training, scripts/trainDefaultTorch.py); ${backend.name} (threshold and metrics)`;
    provenance = { parent, style, cropSize, valCrops, testCrops, generatorSeeds, sweepNegativesPerPositive, preprocessing, training: record };
    log({ event: 'external-weights', manifest: external, ...figures });
  } else {
    const net: MicraNet = config.parent === 'none' ? createMicraNet({ inChannels: 1, numClasses: 1, seed: config.seed }) : (await loadMicraNetWeights(config.parent)).net;
    result = await trainLoop({
      net,
      card,
      mode: config.mode,
      train: semSampleSet(train),
      validation: semSampleSet(validation),
      inputSize: config.cropSize,
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      warmupSteps: config.warmupSteps,
      patience: config.patience,
      seed: config.seed,
      augment: true,
      checkpointDir: workDir,
      resume: true,
      onProgress: (p, done, total) => {
        if (p.type === 'epoch') log({ event: 'epoch', ...p.metrics });
        else if (p.step % 10 === 0 || p.step === 1) log({ event: 'step', done, total, loss: p.loss, lr: p.learningRate, seconds: (performance.now() - t0) / 1000 });
      },
    });
    net.dispose();
    log({ event: 'trained', ...result, history: undefined });
  }
  if (phase === 'train') return;

  const test = generateSemCrops({ seed: config.generatorSeeds.test, cropSize: config.cropSize, count: config.testCrops, style: config.style });
  const summary = await finishDefaultModel({
    weightsManifest: external ?? bestManifestPath(workDir),
    outDir,
    validation: validation.map((c) => ({ pixels: c.pixels, mask: c.mask, label: c.label })),
    test: test.map((c) => ({ pixels: c.pixels, mask: c.mask, label: c.label })),
    cropSize: config.cropSize,
    backend: trainedOn,
    train: result,
    sweepNegativesPerPositive: config.sweepNegativesPerPositive,
    trainingData,
    provenance: { ...provenance, generator: `test/generators/sem generateSemCrops, style family '${config.style}'`, trainCrops: train.length },
  });
  log({ event: 'done', ...summary });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
