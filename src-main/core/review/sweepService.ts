// Runs sweeps for an open project (main side): one run at a time, each as a 'sweep' job in the
// compute process. As the job reports progress, the run's journal is ingested (suggestions
// rows, merging, heat-map cells) and announced ('review.suggestions', 'sweep.crops'); when
// the job ends — done, cancelled, failed or crashed — what the journal holds is ingested and
// the run is closed. A failed or cancelled run resumes from the crops it finished. Each run is
// checked against its model's training data as it goes (sweepWarnings.ts).
import { existsSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import type { z } from 'zod';
import { SweepWarningSchema, type SweepRunSchema } from '../../api/channels/reviewChannels';
import type { JobSummary } from '../../api/types';
import type { AppEvents } from '../app/appEvents';
import { JobCancelledError } from '../jobs/jobContext';
import type { JobRunner } from '../jobs/jobRunner';
import { journalPath, readJournal } from '../ml/sweep/sweepJournal';
import { sweepGrid } from '../ml/sweep/sweepGrid';
import type { MaskMethod } from '../ml/sweep/maskMethod';
import type { SweepGridParams } from '../ml/sweep/sweepJob';
import { assertProjectWriteTarget } from '../project/confinedPath';
import type { ProjectStore } from '../project/projectStore';
import type { NewSweepRun, SweepRunRow, SweepRunsRepo } from '../project/sweepRunsRepo';
import { ingestCrops, type IngestOutcome } from './sweepIngest';
import { publicItem, suggestionItem } from './reviewItems';
import { resolveSweepModel, type SweepModel, type SweepModelChoice } from './sweepModel';
import { screenManifestPath } from '../ml/screen/screenFiles';
import type { ScreenParams } from '../ml/screen/screenCascade';
import { SweepWarnings, type SweepWarning } from './sweepWarnings';
import { screenDefect } from './screenIntegrity';
import { imageGeometry } from '../project/imageSummary';

export type SweepRun = z.output<typeof SweepRunSchema>;

export interface SweepOptions extends SweepModelChoice {
  imageIds: number[];
  stride?: number | undefined;
  /** Default 'object' (measured masks); 'reference' is the paper's EM mask. */
  maskMethod?: MaskMethod | undefined;
  backgroundStdDev?: number | undefined;
  /** Engine workers in the compute process (default: one per core). */
  workers?: number | undefined;
  /**
   * Screen crops with the model's distilled screen first (issue #19). Default: the project's
   * `sweepScreen` setting (on unless turned off); without a screen on the model, never.
   */
  screen?: boolean | undefined;
}

/** A run start() queued, and where a resumed one continues (its crops already done), else null. */
export interface StartedRun {
  run: SweepRun;
  resumedFromCrop: number | null;
}

interface Tunables {
  backgroundStdDev?: number | undefined;
  workers?: number | undefined;
}

interface Waiter {
  resolve: (run: SweepRun) => void;
}

export class SweepService {
  readonly runs: SweepRunsRepo;
  private readonly warnings: SweepWarnings;
  private readonly queue: Array<{ runId: number; tunables: Tunables }> = [];
  private readonly waiters = new Map<number, Waiter[]>();
  private readonly activeJobs = new Map<number, number>();
  private running = false;

  constructor(
    private readonly store: ProjectStore,
    private readonly runner: JobRunner,
    private readonly events: AppEvents,
  ) {
    this.runs = store.sweepRuns;
    this.warnings = new SweepWarnings(store, this.runs, runner);
    this.recoverInterrupted();
  }

  /** Queues one run per image; they run one after another. */
  async start(opts: SweepOptions): Promise<SweepRun[]> {
    return (await this.startOrResume(opts, false)).map((s) => s.run);
  }

  /**
   * Like start, but an image whose newest run with the same model and settings (class, threshold,
   * crop size, stride, mask method) is unfinished — failed or cancelled, as a killed process leaves
   * it — continues that run from its finished crops instead of sweeping from crop 0 again.
   */
  async startOrResume(opts: SweepOptions, resumeUnfinished = true): Promise<StartedRun[]> {
    const model = await resolveSweepModel(this.store, opts);
    // Whether its files are whole is checked when each run starts (launch): a run may wait long in the queue.
    const screened = (opts.screen ?? this.store.settings.sweepScreen()) && screenOf(model) !== null;
    const size = model.card.inputSize;
    const stride = opts.stride ?? size;
    const planned: Array<NewSweepRun | SweepRunRow> = [];
    for (const imageId of opts.imageIds) {
      const image = this.store.images.get(imageId);
      if (!image) throw new Error(`no image ${imageId} in this project`);
      if (image.status !== 'ready') throw new Error(`image ${imageId} is not ready (${image.status})`);
      const grid = sweepGrid(image.width, image.height, size, stride);
      const run: NewSweepRun = {
        imageId,
        modelId: model.modelId,
        classId: model.classId,
        classIndex: model.classIndex,
        threshold: model.card.classThresholds[model.classIndex] as number,
        cropSize: size,
        stride,
        cols: grid.xs.length,
        rows: grid.ys.length,
        maskMethod: opts.maskMethod ?? 'object',
        screen: screened,
      };
      planned.push((resumeUnfinished ? this.unfinishedRun(run) : null) ?? run);
    }
    const tunables: Tunables = { backgroundStdDev: opts.backgroundStdDev, workers: opts.workers };
    // Rows first (so a bad image creates nothing), then queued in the order asked.
    const rows = planned.map((p) => ('id' in p ? p : this.runs.create(p)));
    const started: StartedRun[] = [];
    for (const row of rows) {
      if (row.status === 'queued') {
        this.enqueue(row.id, tunables);
        started.push({ run: this.summary(row.id), resumedFromCrop: null });
      } else {
        const run = await this.resume(row.id, tunables);
        started.push({ run, resumedFromCrop: run.cropsDone });
      }
    }
    return started;
  }

  /** The image's newest run made with exactly these settings, when it is unfinished. */
  private unfinishedRun(wanted: NewSweepRun): SweepRunRow | null {
    const same = this.runs
      .listForImage(wanted.imageId)
      .find(
        (r) =>
          r.model_id === wanted.modelId && r.class_index === wanted.classIndex && r.threshold === wanted.threshold &&
          r.crop_size === wanted.cropSize && r.stride === wanted.stride && r.cols === wanted.cols && r.rows === wanted.rows &&
          r.mask_method === (wanted.maskMethod ?? 'object') && r.screen === (wanted.screen ? 1 : 0),
      );
    return same && (same.status === 'failed' || same.status === 'cancelled') ? same : null;
  }

  /** Continues a failed or cancelled run from its finished crops. */
  async resume(runId: number, tunables: Tunables = {}): Promise<SweepRun> {
    const run = this.runs.mustGet(runId);
    if (run.status !== 'failed' && run.status !== 'cancelled') throw new Error(`sweep run ${runId} is ${run.status}; only a failed or cancelled run resumes`);
    // Crops the journal holds but the database missed (main stopped before ingesting them).
    await this.ingest(run, null, 0);
    this.runs.requeue(runId);
    this.enqueue(runId, tunables);
    return this.summary(runId);
  }

  cancel(runId: number): boolean {
    const queued = this.queue.findIndex((q) => q.runId === runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.close(runId, 'cancelled', null);
      return true;
    }
    const jobId = this.activeJobs.get(runId);
    return jobId !== undefined && this.runner.cancel(jobId);
  }

  /** Resolves when the run is no longer queued or running. */
  settled(runId: number): Promise<SweepRun> {
    const run = this.summary(runId);
    if (run.status !== 'queued' && run.status !== 'running') return Promise.resolve(run);
    return new Promise((resolve) => {
      const list = this.waiters.get(runId) ?? [];
      list.push({ resolve });
      this.waiters.set(runId, list);
    });
  }

  summary(runId: number): SweepRun {
    const r = this.runs.mustGet(runId);
    const suggestions = this.store.suggestions.countForSweepRun(runId);
    return {
      id: r.id,
      imageId: r.image_id,
      modelId: r.model_id,
      classId: r.class_id,
      status: r.status,
      jobId: r.last_job_id,
      cropSize: r.crop_size,
      stride: r.stride,
      cols: r.cols,
      rows: r.rows,
      cropsDone: this.runs.cropCount(runId),
      suggestions,
      maskMethod: r.mask_method,
      screen: r.screen === 1,
      screenNotice: r.screen_notice,
      warnings: storedWarnings(r.warnings),
      error: r.error,
    };
  }

  /**
   * The run's screen, when its files are whole. Else null: the run goes on without it (every crop
   * through the full model, the same suggestions) and records why, for the user to see beside it.
   */
  private async usableScreen(run: SweepRunRow, model: SweepModel): Promise<ScreenParams | null> {
    const screen = screenOf(model, run.class_index);
    const defect = screen ? await screenDefect(screen.manifest) : 'the model has no screen any more';
    if (screen && defect === null) return screen;
    const done = this.runs.cropCount(run.id);
    const notice = `The model's screen cannot be used (${defect}): ${done > 0 ? `the crops after the first ${done}` : 'every crop'} went through the full model.`;
    console.error(`the sweep screen of model ${model.modelId} cannot be used, every crop goes through the full model: ${defect}`);
    this.runs.setScreenUnusable(run.id, notice, done > 0);
    return null;
  }

  private enqueue(runId: number, tunables: Tunables): void {
    this.queue.push({ runId, tunables });
    this.events.emit('sweep.run', this.summary(runId));
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          await this.execute(next.runId, next.tunables);
        } catch (err) {
          this.close(next.runId, 'failed', err instanceof Error ? err.message : String(err));
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async execute(runId: number, tunables: Tunables): Promise<void> {
    const run = this.runs.mustGet(runId);
    const image = this.store.images.get(run.image_id);
    if (!image) throw new Error(`image ${run.image_id} no longer exists`);
    const model = await resolveSweepModel(this.store, { modelId: run.model_id, classIndex: run.class_index });
    void this.warnings.start(runId, model.card, image).then(
      (changed) => changed && this.events.emit('sweep.run', this.summary(runId)),
      (err: unknown) => console.error(`sweep run ${runId}: distribution check failed:`, err),
    );
    const params: SweepGridParams = {
      mode: 'grid',
      projectDir: this.store.dir,
      image: imageGeometry(image),
      weightsManifest: model.manifest,
      classIndex: run.class_index,
      maskMethod: run.mask_method,
      journal: journalPath(this.store.dir, run.id),
      threshold: run.threshold,
      cropSize: run.crop_size,
      stride: run.stride,
      skip: this.runs.crops(run.id).map((c) => [c.col, c.row] as [number, number]),
      ...(tunables.backgroundStdDev !== undefined ? { backgroundStdDev: tunables.backgroundStdDev } : {}),
      ...(tunables.workers !== undefined ? { workers: tunables.workers } : {}),
      screen: run.screen === 1 ? await this.usableScreen(run, model) : null,
    };
    // The journal is appended to and truncated: never through a link planted in the project.
    assertProjectWriteTarget(this.store.dir, params.journal);
    // Ingest from the end of what is already in the journal (a resumed run's earlier lines are in).
    let offset = (await readJournal(params.journal, 0)).nextOffset;
    // A torn last line (the process died mid-write) would swallow the next job's first line.
    await truncate(params.journal, offset).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    const job = this.runner.run('sweep', params, { imageId: image.id });
    this.activeJobs.set(runId, job.jobId);
    this.runs.markRunning(runId, job.jobId);
    this.events.emit('sweep.run', this.summary(runId));
    // Ingest on every progress report of this job, one ingestion at a time.
    let chain: Promise<void> = Promise.resolve();
    const step = () => {
      chain = chain.then(async () => {
        offset = await this.ingest(this.runs.mustGet(runId), job.jobId, offset);
      });
      return chain;
    };
    const unsubscribe = this.events.subscribe((event, payload) => {
      if (event === 'job.updated' && (payload as JobSummary).id === job.jobId) void step().catch((err: unknown) => console.error(`sweep run ${runId}: ingest failed:`, err));
    });
    let status: 'done' | 'failed' | 'cancelled' = 'done';
    let error: string | null = null;
    try {
      await job.result;
    } catch (err) {
      status = err instanceof JobCancelledError ? 'cancelled' : 'failed';
      error = status === 'failed' ? (err instanceof Error ? err.message : String(err)) : null;
    } finally {
      unsubscribe();
      this.activeJobs.delete(runId);
    }
    await step().catch(() => undefined);
    await step();
    this.close(runId, status, error);
  }

  /** Reads the journal from `offset`, stores and announces what is new; returns the new offset. */
  private async ingest(run: SweepRunRow, jobId: number | null, offset: number): Promise<number> {
    const { crops, nextOffset } = await readJournal(journalPath(this.store.dir, run.id), offset);
    if (crops.length === 0) return nextOffset;
    const outcome = ingestCrops(this.store, this.runs, run, jobId, crops);
    this.announce(run, outcome);
    if (this.warnings.update(run.id)) this.events.emit('sweep.run', this.summary(run.id));
    return nextOffset;
  }

  private announce(run: SweepRunRow, outcome: IngestOutcome): void {
    if (outcome.crops.length > 0) this.events.emit('sweep.crops', { imageId: run.image_id, runId: run.id, crops: outcome.crops });
    if (outcome.added.length + outcome.updated.length + outcome.removed.length === 0) return;
    const item = (id: number) => publicItem(suggestionItem(this.store.suggestions.get(id)!, []));
    this.events.emit('review.suggestions', {
      imageId: run.image_id,
      runId: run.id,
      added: outcome.added.map(item),
      updated: outcome.updated.map(item),
      removed: outcome.removed,
    });
  }

  private close(runId: number, status: 'done' | 'failed' | 'cancelled', error: string | null): void {
    this.runs.finish(runId, status, error);
    const summary = this.summary(runId);
    this.events.emit('sweep.run', summary);
    for (const w of this.waiters.get(runId) ?? []) w.resolve(summary);
    this.waiters.delete(runId);
  }

  /** Runs a crash left queued or running: their jobs are gone. Ingest what their journals hold. */
  private recoverInterrupted(): void {
    for (const run of this.runs.listByStatus(['queued', 'running'])) {
      this.runs.finish(run.id, 'failed', 'interrupted: the app or compute process stopped');
      void this.ingest(run, run.last_job_id, 0).catch((err: unknown) => console.error(`sweep run ${run.id}: recovery ingest failed:`, err));
    }
  }
}

/** The model's screen for a class (the card's threshold), or null when it has none. */
function screenOf(model: SweepModel, classIndex = model.classIndex): ScreenParams | null {
  const screen = model.card.screen;
  const threshold = screen?.thresholds[classIndex];
  if (!screen || threshold === undefined) return null;
  const manifest = screenManifestPath(model.manifest, screen.file);
  // A model folder copied without its screen still sweeps: every crop through the full model.
  if (!existsSync(manifest)) return null;
  return { manifest, threshold };
}

/** A run's stored warnings; the database is untrusted input, so anything malformed reads as none. */
function storedWarnings(json: string): SweepWarning[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  const parsed = SweepWarningSchema.array().safeParse(value);
  return parsed.success ? parsed.data : [];
}
