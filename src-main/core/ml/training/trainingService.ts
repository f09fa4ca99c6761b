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
import { MODELS_DIR } from '../../project/projectLayout';
import type { ProjectStore } from '../../project/projectStore';
import { resolveStoredPath } from '../../project/projectLayout';
import { TrainingRepo, type TrainingOutcome } from '../../project/trainingRepo';
import { buildDataset } from '../dataset/buildDataset';
import type { FineTuneMode } from '../model/architecture';
import type { BaseModelProvenance } from '../weights/modelCard';
import { planBaseClasses } from './baseClassPlan';
import { baseProvenance, resolveBaseModel, type BaseModelChoice } from './baseModels';
import { decodeTrainingProgress } from './trainingProgress';
import { TrainParamsSchema, TrainResultSchema, type TrainParams } from './trainJobSchema';

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

export class TrainingInputError extends Error {}

export const DEFAULT_TRAINING = { learningRate: 1e-3, batchSize: 8, seed: 1, cropSize: 256, patience: 3 } as const;

export function modelManifestPath(store: ProjectStore, modelDir: string): string {
  // Bundled rows hold an absolute folder outside the project.
  return path.join(resolveStoredPath(store.dir, modelDir), 'manifest.json');
}

function nextModelDir(store: ProjectStore): string {
  const row = store.db.prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM models').get() as { next: number };
  let n = row.next;
  while (existsSync(path.join(store.dir, MODELS_DIR, String(n)))) n++;
  return `${MODELS_DIR}/${n}`;
}

export async function startTraining(deps: TrainingDeps, req: StartTrainingRequest): Promise<{ jobId: number; modelId: number }> {
  const { store } = deps;
  const training = new TrainingRepo(store.db);
  let parentManifest: string | null = null;
  let parentModelId: number | null = null;
  let base: BaseModelProvenance | null = null;
  let classIds: number[] | undefined;
  let cropSize: number = req.cropSize ?? DEFAULT_TRAINING.cropSize;
  if (req.base !== undefined && req.baseModelId !== undefined) throw new TrainingInputError('give the base model as base or as baseModelId, not both');
  const choice: BaseModelChoice | undefined = req.base ?? (req.baseModelId !== undefined ? { kind: 'model', id: req.baseModelId } : undefined);
  if (choice !== undefined) {
    const resolved = await resolveBaseModel(store, choice);
    parentManifest = resolved.manifestPath;
    parentModelId = resolved.modelId;
    if (req.cropSize === undefined) cropSize = resolved.card.inputSize;
    // The base's classes when the project has them all (its head stays meaningful), else the
    // project's, with fresh head rows for the classes the base does not know (baseClassPlan.ts).
    const plan = planBaseClasses(resolved.card.classes, store.classes.list());
    if (plan.classIds) classIds = plan.classIds;
    base = await baseProvenance(resolved, plan);
  } else if (req.mode !== 'all') {
    throw new TrainingInputError(`fine-tuning mode '${req.mode}' needs a base model`);
  }
  const { spec, stats } = buildDataset(store, { cropSize, puRatio: req.puRatio, ...(classIds ? { classIds } : {}) });
  if (!spec.items.some((it) => it.split === 'train')) {
    throw new TrainingInputError(`no labelled ${cropSize}×${cropSize} crops in the training split (images: ${stats.images.train.length})`);
  }
  const seed = req.seed ?? DEFAULT_TRAINING.seed;
  const { model, dir } = store.transaction(() => {
    const d = nextModelDir(store);
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
  const training = new TrainingRepo(deps.store.db);
  reconcileInterruptedRuns(deps);
  const run = training.getRun(modelId);
  const model = deps.store.models.get(modelId);
  if (!run || !model) throw new TrainingInputError(`model ${modelId} has no training run`);
  if (run.finishedAt === null) throw new TrainingInputError(`model ${modelId} is still training`);
  if (run.outcome === 'completed' || run.outcome === 'stopped-early') throw new TrainingInputError(`model ${modelId} finished training`);
  const params = TrainParamsSchema.parse({ ...(run.params as object), resume: true });
  deps.store.models.setStatus(modelId, 'training');
  return { jobId: runTrainJob(deps, training, params), modelId };
}

/** Runs whose job is no longer running (the app or compute process died): interrupted, resumable. */
export function reconcileInterruptedRuns(deps: TrainingDeps): void {
  const training = new TrainingRepo(deps.store.db);
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
