// Ties the jobs table to the compute host: every job gets a row that follows it
// (queued → running → done / failed / cancelled), progress is written at a bounded rate, and
// every change is announced through onUpdate so main can push 'job.updated' to the renderer.
import type { JobSummary } from '../../api/types';
import { toJobSummary } from '../project/jobSummary';
import { INTERRUPTED_JOB_ERROR, type FinishedJobStatus, type JobRow, type JobsRepo } from '../project/jobsRepo';
import type { ComputeHost, JobProgress } from './computeHost';
import { EtaEstimator } from './etaEstimator';
import { JobCancelledError } from './jobContext';
import type { JobParams, JobTypes } from './jobKinds';
import type { JobNote } from './jobProtocol';

export type JobKind = JobSummary['kind'];

/** The part of ComputeHost the runner needs. */
export type JobExecutor = Pick<ComputeHost, 'start' | 'cancel'>;

export interface JobRunnerOptions {
  jobs: JobsRepo;
  host: JobExecutor;
  onUpdate: (job: JobSummary) => void;
  /** Least time between two progress writes of one job to the database. */
  progressWriteIntervalMs?: number;
  now?: () => number;
}

export interface StartedJob {
  jobId: number;
  /** Settles with the job: resolves with its result, rejects with why it did not finish. */
  result: Promise<unknown>;
}

interface ActiveJob {
  row: JobRow;
  eta: EtaEstimator;
  etaSeconds: number | null;
  lastWriteMs: number;
  progressUnwritten: boolean;
  /** A cancel was asked for and the job has not ended yet. */
  cancelling: boolean;
}

export class JobRunner {
  private readonly jobs: JobsRepo;
  private readonly host: JobExecutor;
  private readonly onUpdate: (job: JobSummary) => void;
  private readonly writeIntervalMs: number;
  private readonly now: () => number;
  private readonly active = new Map<number, ActiveJob>();

  constructor(opts: JobRunnerOptions) {
    this.jobs = opts.jobs;
    this.host = opts.host;
    this.onUpdate = opts.onUpdate;
    this.writeIntervalMs = opts.progressWriteIntervalMs ?? 500;
    this.now = opts.now ?? Date.now;
    // Nothing can be running yet: whatever the table says is running was cut off by a crash.
    for (const row of this.jobs.markInterruptedFailed(INTERRUPTED_JOB_ERROR)) this.onUpdate(toJobSummary(row));
  }

  /**
   * Starts a job of `kind` with that kind's params (jobKinds.ts); its result is the caller's to
   * parse. `onNote` hears what the job tells before it ends (jobProtocol.ts JobNote).
   */
  run<K extends JobKind & keyof JobTypes>(kind: K, params: JobParams<K>, opts: { imageId?: number; onNote?: (note: JobNote) => void } = {}): StartedJob {
    const queued = this.jobs.create(kind, params, opts.imageId ?? null);
    this.onUpdate(toJobSummary(queued));
    const row = this.jobs.markRunning(queued.id);
    const eta = new EtaEstimator();
    eta.start(this.now());
    const job: ActiveJob = { row, eta, etaSeconds: null, lastWriteMs: this.now(), progressUnwritten: false, cancelling: false };
    this.active.set(row.id, job);
    this.onUpdate(toJobSummary(row));

    const result = this.host
      .start(row.id, kind, params, (p) => this.progressed(job, p), (note) => opts.onNote?.(note))
      .then(
        (value) => {
          this.finish(job, 'done', null);
          return value;
        },
        (err: unknown) => {
          const cancelled = err instanceof JobCancelledError;
          this.finish(job, cancelled ? 'cancelled' : 'failed', cancelled ? null : errorText(err));
          throw err;
        },
      );
    // Callers may ignore the outcome (it is in the jobs table); don't let that crash the app.
    result.catch(() => undefined);
    return { jobId: row.id, result };
  }

  /**
   * Asks a running job to stop; false if it is not running here. Until it has ended, its
   * summary says `cancelling` (announced at once, so every window can say so).
   */
  cancel(jobId: number): boolean {
    const job = this.active.get(jobId);
    if (!job || !this.host.cancel(jobId)) return false;
    if (!job.cancelling) {
      job.cancelling = true;
      this.onUpdate(liveSummary(job));
    }
    return true;
  }

  /** The live view of a job (with its ETA), or the stored one. */
  summary(jobId: number): JobSummary | undefined {
    const active = this.active.get(jobId);
    if (active) return liveSummary(active);
    const row = this.jobs.get(jobId);
    return row && toJobSummary(row);
  }

  list(limit?: number): JobSummary[] {
    return this.jobs.list(limit).map((row) => this.summary(row.id) ?? toJobSummary(row));
  }

  private progressed(job: ActiveJob, p: JobProgress): void {
    const now = this.now();
    job.etaSeconds = job.eta.report(p.done, p.total, now);
    job.row = { ...job.row, done: p.done, total: p.total, message: p.message ?? job.row.message };
    job.progressUnwritten = true;
    if (now - job.lastWriteMs >= this.writeIntervalMs) this.writeProgress(job, now);
    this.onUpdate(liveSummary(job));
  }

  private writeProgress(job: ActiveJob, now: number): void {
    this.jobs.recordProgress(job.row.id, job.row.done, job.row.total, job.row.message);
    job.lastWriteMs = now;
    job.progressUnwritten = false;
  }

  private finish(job: ActiveJob, status: FinishedJobStatus, error: string | null): void {
    this.active.delete(job.row.id);
    if (job.progressUnwritten) this.writeProgress(job, this.now());
    const row = this.jobs.finish(job.row.id, status, error);
    this.onUpdate(toJobSummary(row));
  }
}

/** A running job as the API shows it: its row, its ETA, and whether it is being cancelled (then no ETA). */
function liveSummary(job: ActiveJob): JobSummary {
  return job.cancelling ? { ...toJobSummary(job.row, null), cancelling: true } : toJobSummary(job.row, job.etaSeconds);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
