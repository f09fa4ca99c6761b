// Main side of training: creates the model row and its folder, builds the dataset from the
// database, starts the 'train' job in the compute process, turns the job's structured progress
// into history rows and 'training.epoch' events, and settles the model when the job ends
// (ready with its card and metrics; failed; or, after a cancel, ready from the best
// checkpoint when there is one). Resume restarts a failed or interrupted run from its last
// checkpoint. Nothing here computes: the compute process does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppEvents } from '../../app/appEvents';
import { JobCancelledError } from '../../jobs/jobContext';
import type { JobRunner } from '../../jobs/jobRunner';
import type { ProjectStore } from '../../project/projectStore';
import { nextModelDir, resolveStoredPath } from '../../project/projectLayout';
import type { TrainingOutcome, TrainingRepo } from '../../project/trainingRepo';
import type { FineTuneMode } from '../model/architecture';
import type { BaseModelProvenance } from '../weights/modelCard';
import { baseProvenance, type BaseModelChoice } from './baseModels';
import { runDataset } from './runDataset';
import { decodeTrainingProgress } from './trainingProgress';
import { distillScreenAfterTraining } from '../screen/screenAfterTraining';
import { TrainParamsSchema, TrainResultSchema, type TrainParams } from './trainJobSchema';
import { DomainError } from '../../../api/domainError';

export interface TrainingDeps {
  store: ProjectStore;
  runner: JobRunner;
  events: AppEvents;
}

export interface StartTrainingRequest {
  mode: FineTuneMode;
  epochs: number;
  /** 1:puRatio positive : unlabelled. */
  puRatio: number;
  /** Same as base {kind: 'model', id}. */
  baseModelId?: number | undefined;
  base?: BaseModelChoice | undefined;
  learningRate?: number | undefined;
  batchSize?: number | undefined;
  seed?: number | undefined;
  cropSize?: number | undefined;
  patience?: number | undefined;
  name?: string | undefined;
  /** Shard workers of data-parallel steps (default: every core). */
  workers?: number | undefined;
}

export const DEFAULT_TRAINING = { learningRate: 1e-3, batchSize: 8, seed: 1, cropSize: 256, patience: 3 } as const;

export function modelManifestPath(store: ProjectStore, modelDir: string): string {
  // Bundled rows hold an absolute folder outside the project.
  return path.join(resolveStoredPath(store.dir, modelDir), 'manifest.json');
}

export async function startTraining(deps: TrainingDeps, req: StartTrainingRequest): Promise<{ jobId: number; modelId: number }> {
  const { store } = deps;
  const training = store.training;
  let base: BaseModelProvenance | null = null;
  if (req.base !== undefined && req.baseModelId !== undefined) throw new DomainError('bad-request', 'give the base model as base or as baseModelId, not both');
  const choice: BaseModelChoice | undefined = req.base ?? (req.baseModelId !== undefined ? { kind: 'model', id: req.baseModelId } : undefined);
  if (choice === undefined && req.mode !== 'all') throw new DomainError('bad-request', `fine-tuning mode '${req.mode}' needs a base model`);
  // Classes and crop size from the base (runDataset.ts, shared with background feature preparation).
  const { resolved, plan, cropSize, built } = await runDataset(store, choice, { cropSize: req.cropSize, defaultCropSize: DEFAULT_TRAINING.cropSize, puRatio: req.puRatio });
  const parentManifest = resolved?.manifestPath ?? null;
  const parentModelId = resolved?.modelId ?? null;
  if (resolved && plan) base = await baseProvenance(resolved, plan);
  const { spec, stats } = built;
  if (!spec.items.some((it) => it.split === 'train')) {
    throw new DomainError('bad-request', `no labelled ${cropSize}×${cropSize} crops in the training split (images: ${stats.images.train.length})`);
  }
  const seed = req.seed ?? DEFAULT_TRAINING.seed;
  const { model, dir } = store.transaction(() => {
    const d = nextModelDir(store.dir, store.models.nextId());
    const m = store.models.insert({
      name: req.name ?? `trained ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
      parentId: parentModelId,
      dir: d,
      origin: 'trained',
      status: 'training',
      card: { classes: spec.classes.map((c) => c.name), inputSize: cropSize, ...(base ? { provenance: { parent: String(parentModelId), base } } : {}) },
      datasetSnapshot: { stats, items: spec.items.length, unlabelledCandidates: spec.unlabelled.candidates.length, puRatio: req.puRatio },
    });
    return { model: m, dir: d };
  });
  const params: TrainParams = TrainParamsSchema.parse({
    projectDir: store.dir,
    modelId: model.id,
    modelDir: path.join(store.dir, dir),
    dataset: spec,
    mode: req.mode,
    epochs: req.epochs,
    batchSize: req.batchSize ?? DEFAULT_TRAINING.batchSize,
    learningRate: req.learningRate ?? DEFAULT_TRAINING.learningRate,
    patience: req.patience ?? DEFAULT_TRAINING.patience,
    seed,
    augment: true,
    parentManifest,
    parentModelId,
    base,
    resume: false,
    ...(req.workers === undefined ? {} : { workers: req.workers }),
  });
  const jobId = runTrainJob(deps, training, params);
  return { jobId, modelId: model.id };
}

/** Restarts a failed, cancelled or interrupted run from its last checkpoint. */
export function resumeTraining(deps: TrainingDeps, modelId: number): { jobId: number; modelId: number } {
  const training = deps.store.training;
  reconcileInterruptedRuns(deps);
  const run = training.getRun(modelId);
  const model = deps.store.models.get(modelId);
  if (!run || !model) throw new DomainError('bad-request', `model ${modelId} has no training run`);
  if (run.finishedAt === null) throw new DomainError('bad-request', `model ${modelId} is still training`);
  if (run.outcome === 'completed' || run.outcome === 'stopped-early') throw new DomainError('bad-request', `model ${modelId} finished training`);
  const params = TrainParamsSchema.parse({ ...(run.params as object), resume: true });
  deps.store.models.setStatus(modelId, 'training');
  return { jobId: runTrainJob(deps, training, params), modelId };
}

/** Runs whose job is no longer running (the app or compute process died): interrupted, resumable. */
export function reconcileInterruptedRuns(deps: TrainingDeps): void {
  const training = deps.store.training;
  for (const modelId of training.unfinishedRuns()) {
    const run = training.getRun(modelId);
    const job = run?.jobId ? deps.runner.summary(run.jobId) : undefined;
    if (job && (job.status === 'running' || job.status === 'queued')) continue;
    training.finishRun(modelId, 'interrupted', job?.error ?? 'the training process ended');
    const model = deps.store.models.get(modelId);
    if (model?.status === 'training') deps.store.models.setStatus(modelId, 'failed');
  }
}

function runTrainJob(deps: TrainingDeps, training: TrainingRepo, params: TrainParams): number {
  const { store, runner, events } = deps;
  const started = runner.run('train', params);
  const { jobId } = started;
  training.startRun(params.modelId, jobId, { ...params, resume: false });
  // Every job update repeats the latest message (a step's or an epoch's): an epoch counts once.
  let lastEpoch = 0;
  const unsubscribe = events.subscribe((event, payload) => {
    if (event !== 'job.updated') return;
    const job = payload as { id: number; message: string | null };
    if (job.id !== jobId) return;
    const progress = decodeTrainingProgress(job.message);
    if (progress?.type !== 'epoch' || progress.metrics.epoch <= lastEpoch) return;
    lastEpoch = progress.metrics.epoch;
    training.recordEpoch(params.modelId, progress.metrics);
    events.emit('training.epoch', { modelId: params.modelId, jobId, ...progress.metrics });
  });
  const settle = (status: 'ready' | 'failed', outcome: TrainingOutcome, error: string | null) => {
    unsubscribe();
    store.models.setStatus(params.modelId, status);
    training.finishRun(params.modelId, outcome, error);
    events.emit('models.changed', { modelId: params.modelId });
  };
  started.result.then(
    (raw) => {
      const parsed = TrainResultSchema.safeParse(raw);
      if (!parsed.success) return settle('failed', 'failed', 'the training job returned a malformed result');
      const r = parsed.data;
      for (const e of r.history) training.recordEpoch(params.modelId, e);
      training.setModelCard(params.modelId, r.card);
      store.models.setMetrics(params.modelId, { ...r.metrics, bestEpoch: r.bestEpoch, epochs: r.history.length, seconds: r.seconds, backend: r.backend, counts: r.counts });
      settle('ready', r.stoppedEarly ? 'stopped-early' : 'completed', null);
      // The new model's sweep screen (issue #19), distilled from the project's own crops.
      distillScreenAfterTraining(deps, training, params.modelId, path.join(params.modelDir, 'manifest.json'), params.seed);
    },
    (err: unknown) => {
      if (err instanceof JobCancelledError) {
        // The job wrote the best checkpoint so far into the model folder before it stopped.
        const manifest = path.join(params.modelDir, 'manifest.json');
        if (existsSync(manifest)) {
          const card = (JSON.parse(readFileSync(manifest, 'utf8')) as { card?: unknown }).card;
          if (card) training.setModelCard(params.modelId, card);
          return settle('ready', 'cancelled', null);
        }
        return settle('failed', 'cancelled', null);
      }
      settle('failed', 'failed', err instanceof Error ? err.message : String(err));
    },
  );
  return jobId;
}
