// The training half of the 'train' job, run in the training worker thread (trainWorkerEntry.ts):
// the sample sets from the DatasetSpec, the network (fresh, or from the parent model's weights
// for fine-tuning), the training loop with its checkpoints. What the checkpoints hold becomes
// the model afterwards, on the compute process's main thread (trainJob.ts), whether the loop
// ended, stopped early or was cancelled.
import { checkCancelled } from '../../jobs/jobContext';
import { initBackend } from '../backend';
import { projectSampleSets } from '../dataset/projectSampleSets';
import { createMicraNet, type MicraNet } from '../model/micranet';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import { ModelCardSchema, PreprocessingSchema, type ModelCard } from '../weights/modelCard';
import { networkFromBase } from './baseNetwork';
import { firstTrainableBlock } from './blockForward';
import { checkpointDirOfModel } from './checkpointPaths';
import { projectFeatureStoreRoot } from './featureStore';
import { encodeTrainingProgress } from './trainingProgress';
import type { TrainParams, TrainResult } from './trainJobSchema';
import { trainLoop } from './trainLoop';

export type DatasetCounts = TrainResult['counts'];
export type TrainedLoop = Pick<TrainResult, 'history' | 'bestEpoch' | 'stoppedEarly' | 'resumedFromEpoch' | 'steps' | 'seconds' | 'backend'>;

export interface TrainNetworkHooks {
  signal: AbortSignal;
  /** Runs each checkpoint write (the worker's cancel gate). */
  critical: <T>(write: () => Promise<T>) => Promise<T>;
  progress: (done: number, total: number, message?: string) => void;
  /** The sets are built: their sizes, for the model's provenance. */
  dataset: (counts: DatasetCounts) => void;
}

/** The parent's weights into a network with this dataset's classes (the linear layer is new when they differ). */
async function startingNetwork(p: TrainParams): Promise<{ net: MicraNet; parentCard: ModelCard | null }> {
  const classes = p.dataset.classes.length;
  if (!p.parentManifest) return { net: createMicraNet({ inChannels: 1, numClasses: classes, seed: p.seed }), parentCard: null };
  const parent = await loadMicraNetWeights(p.parentManifest);
  // Head rows follow class names (baseNetwork.ts): classes the base does not know start fresh.
  const net = networkFromBase(parent.net, parent.card.classes, p.dataset.classes.map((c) => c.name), p.seed);
  return { net, parentCard: parent.card };
}

/** Trains; rejects with JobCancelledError when `hooks.signal` is aborted (checked between steps). */
export async function trainNetwork(p: TrainParams, hooks: TrainNetworkHooks): Promise<TrainedLoop> {
  const backend = await initBackend(p.backend);
  hooks.progress(0, 1, 'reading the dataset');
  const { net, parentCard } = await startingNetwork(p);
  try {
    const preprocessing = parentCard?.preprocessing ?? PreprocessingSchema.parse({});
    const sets = await projectSampleSets(p.projectDir, p.dataset, { inChannels: net.inChannels, preprocessing, seed: p.seed, signal: hooks.signal });
    await checkCancelled(hooks.signal);
    hooks.dataset(sets.counts);
    const card: ModelCard = ModelCardSchema.parse({
      classes: p.dataset.classes.map((c) => c.name),
      inputSize: p.dataset.cropSize,
      inChannels: net.inChannels,
      preprocessing,
      classThresholds: p.dataset.classes.map(() => 0.5),
      provenance: { parent: p.parentModelId === null ? null : String(p.parentModelId), backend: backend.name, metrics: {} },
    });
    // Modes with frozen blocks keep their features in the project for the next retrain (featureStore.ts).
    const featureStoreDir = firstTrainableBlock(p.mode) > 0 ? projectFeatureStoreRoot(p.projectDir) : null;
    const loop = await trainLoop({
      net,
      card,
      mode: p.mode,
      train: sets.train,
      validation: sets.validation,
      inputSize: p.dataset.cropSize,
      epochs: p.epochs,
      batchSize: p.batchSize,
      learningRate: p.learningRate,
      patience: p.patience,
      seed: p.seed,
      augment: p.augment,
      checkpointDir: checkpointDirOfModel(p.modelDir),
      resume: p.resume,
      // Every core by default (data-parallel steps); frozen features cached in fine-tuning modes.
      ...(p.workers === undefined ? {} : { workers: p.workers }),
      ...(featureStoreDir === null ? {} : { featureStoreDir }),
      ...(p.featureStoreBytes === undefined ? {} : { featureStoreBytes: p.featureStoreBytes }),
      signal: hooks.signal,
      critical: hooks.critical,
      onProgress: (progress, done, total) => hooks.progress(done, total, encodeTrainingProgress(progress)),
    });
    return {
      history: loop.history,
      bestEpoch: loop.bestEpoch,
      stoppedEarly: loop.stoppedEarly,
      resumedFromEpoch: loop.resumedFromEpoch,
      steps: loop.steps,
      seconds: loop.seconds,
      backend: backend.name,
    };
  } finally {
    net.dispose();
  }
}
