// Main side of background feature preparation: when the expert records labels
// (labelsRecorded.ts), start a 'prepareFeatures' job for the next "Retrain from decisions" — the
// active model as base (else the latest sweep's model, as the button does), the mode the Retrain button uses, the dataset startTraining would build
// (runDataset.ts) and its default seed and augmentation — so that the retrain only reads
// features. Low priority and one at a time:
// - labels arriving in a burst (a review session: one decision a second) start one job, after a
//   short quiet period; labels arriving while a job runs start one more after it;
// - while a sweep or a training run is running, none starts, and a running one is cancelled
//   (its stored features stay; the next job, once they have ended, computes the rest) — already
//   while such a job is being set up (yieldWhile: a training run builds its dataset for seconds
//   before its job exists, and a preparation must not hold the cores meanwhile, nor race it);
// - its own failure never reaches the user's labelling: it is in the jobs table, and the next
//   label tries again.
import type { JobSummary } from '../../../api/types';
import type { AppEvents } from '../../app/appEvents';
import type { JobRunner } from '../../jobs/jobRunner';
import type { ProjectStore } from '../../project/projectStore';
import type { FineTuneMode } from '../model/architecture';
import { FeaturePrepParamsSchema, type FeaturePrepParams } from './featurePrepJobSchema';
import { onLabelsRecorded } from './labelsRecorded';
import { runDataset } from './runDataset';
import { DEFAULT_TRAINING } from './trainingService';
import { RETRAIN_FROM_DECISIONS_MODE } from '../../../../src-shared/retrainFromDecisions';

/** The modes prepared: the one "Retrain from decisions" trains in. */
export const RETRAIN_FROM_DECISIONS_MODES: readonly Exclude<FineTuneMode, 'all'>[] = [RETRAIN_FROM_DECISIONS_MODE];
/** training.start's default unlabelled ratio, which the Retrain button uses. */
const RETRAIN_PU_RATIO = 5;
/** Quiet time after the last label before a job starts. */
const DEFAULT_QUIET_MS = 1500;
/** Jobs that want every core: preparation waits for them (and is cancelled by them). */
const FOREGROUND_KINDS: ReadonlySet<JobSummary['kind']> = new Set(['sweep', 'train']);

const isLive = (j: JobSummary) => j.status === 'running' || j.status === 'queued';

export interface FeaturePrepSchedulerOptions {
  store: ProjectStore;
  runner: JobRunner;
  events: AppEvents;
  quietMs?: number;
}

export class FeaturePrepScheduler {
  /** Labels were recorded since the last job started. */
  private pending = false;
  private timer: NodeJS.Timeout | null = null;
  private jobId: number | null = null;
  private disposed = false;
  /** Foreground jobs being set up (yieldWhile): none starts meanwhile. */
  private starting = 0;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly o: FeaturePrepSchedulerOptions) {
    this.unsubscribe = [
      onLabelsRecorded(o.store, () => this.labelled()),
      o.events.subscribe((event, payload) => {
        if (event === 'job.updated') this.jobUpdated(payload as JobSummary);
      }),
    ];
  }

  /** The running preparation job, if any. */
  get runningJobId(): number | null {
    return this.jobId;
  }

  labelled(): void {
    this.pending = true;
    this.schedule();
  }

  /**
   * Runs the set-up of a sweep or training run: a running preparation is cancelled now (and
   * resumes after that job), and none starts until the set-up has ended and its job is live.
   */
  async yieldWhile<T>(setUp: () => Promise<T>): Promise<T> {
    this.starting++;
    this.yieldCores();
    try {
      return await setUp();
    } finally {
      this.starting--;
      // The new job (if any) is live by now and holds preparation off (foregroundBusy); after a
      // failed set-up, labels waiting are prepared.
      if (this.pending && this.starting === 0) this.schedule();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    if (this.jobId !== null) this.o.runner.cancel(this.jobId);
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start().catch((err: unknown) => console.error('background feature preparation could not start:', err));
    }, this.o.quietMs ?? DEFAULT_QUIET_MS);
  }

  private jobUpdated(job: JobSummary): void {
    if (job.id === this.jobId) {
      if (isLive(job)) return;
      this.jobId = null;
      if (this.pending) this.schedule();
      return;
    }
    if (!FOREGROUND_KINDS.has(job.kind)) return;
    if (isLive(job)) this.yieldCores();
    else if (this.pending) this.schedule();
  }

  /** A sweep or a training run wants the cores: stop, and prepare the rest after it. */
  private yieldCores(): void {
    if (this.jobId === null) return;
    this.pending = true;
    this.o.runner.cancel(this.jobId);
  }

  private foregroundBusy(): boolean {
    return this.o.runner.list(50).some((j) => FOREGROUND_KINDS.has(j.kind) && isLive(j));
  }

  private async start(): Promise<void> {
    // One at a time (labels meanwhile: again after it); none beside a sweep or a run (after them).
    if (this.disposed || !this.pending || this.jobId !== null || this.starting > 0 || this.foregroundBusy()) return;
    this.pending = false;
    const params = await this.params();
    // Checked again: the dataset was built asynchronously.
    if (params === null || this.disposed || this.jobId !== null || this.foregroundBusy()) return;
    if (this.starting > 0) {
      // A foreground job began its set-up meanwhile: after it.
      this.pending = true;
      return;
    }
    this.jobId = this.o.runner.run('prepareFeatures', params).jobId;
  }

  /** Without an active model the Retrain button starts from the model that made the suggestions: the latest sweep's. */
  private latestSweepModel(): number | null {
    return this.o.store.sweepRuns.latestModelId();
  }

  /** What the next "Retrain from decisions" would read; null when it could not run (no active model, no training crop). */
  private async params(): Promise<FeaturePrepParams | null> {
    const { store } = this.o;
    const active = store.settings.activeModelId() ?? this.latestSweepModel();
    if (active === null) return null;
    let dataset;
    try {
      dataset = await runDataset(store, { kind: 'model', id: active }, { cropSize: undefined, defaultCropSize: DEFAULT_TRAINING.cropSize, puRatio: RETRAIN_PU_RATIO });
    } catch {
      // The active model is not usable as a base (not ready, unreadable): the retrain would say so.
      return null;
    }
    const { spec } = dataset.built;
    if (!dataset.resolved || !spec.items.some((it) => it.split === 'train')) return null;
    return FeaturePrepParamsSchema.parse({
      projectDir: store.dir,
      dataset: spec,
      modes: [...RETRAIN_FROM_DECISIONS_MODES],
      parentManifest: dataset.resolved.manifestPath,
      seed: DEFAULT_TRAINING.seed,
      augment: true,
    });
  }
}
