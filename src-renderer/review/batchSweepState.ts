// "Sweep all images" as one batch: the runs sweep.batch started (skipping images already swept
// with the model, resuming cancelled runs), followed through sweep.run and job.updated, added up
// into one progress (crops done of all crops) with one ETA, and one Cancel for all of them.
// Resume starts the batch again: finished images are skipped, cancelled runs continue.
// The batch is main's (sweep.batchCurrent): a page that comes back to Review or reloads asks for
// it on load, and a batch started in another window arrives as sweep.batchStarted.
import type { MicraApi, RequestResult } from '../../src-main/api/types';
import type { SweepRun } from './reviewTypes';
import { errorMessage } from '../lib/request';

type MainBatch = NonNullable<RequestResult<'sweep.batchCurrent'>>;

export type BatchStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface BatchSnapshot {
  readonly runs: readonly SweepRun[];
  readonly skipped: readonly SweepRun[];
  readonly resumedRunIds: readonly number[];
  /** Crops of all the batch's runs. */
  readonly done: number;
  readonly total: number;
  /** Seconds left at the batch's pace so far; null until it has one. */
  readonly etaSeconds: number | null;
  readonly status: BatchStatus;
  readonly cancelling: boolean;
  readonly error: string | null;
}

/** The batch's progress and ETA from its runs; `since` is when it started and how many crops were done then. */
export function batchProgress(runs: readonly SweepRun[], since: { at: number; done: number }, now: number): { done: number; total: number; etaSeconds: number | null } {
  let done = 0;
  let total = 0;
  for (const r of runs) {
    const crops = r.cols * r.rows;
    total += crops;
    done += r.status === 'done' ? crops : Math.min(crops, r.cropsDone);
  }
  const elapsed = (now - since.at) / 1000;
  const swept = done - since.done;
  // A pace needs some work behind it: the first crop of a run also loads the model.
  const etaSeconds = swept > 0 && elapsed > 1 && done < total ? ((total - done) * elapsed) / swept : null;
  return { done, total, etaSeconds: done >= total && total > 0 ? 0 : etaSeconds };
}

export function batchStatus(runs: readonly SweepRun[]): BatchStatus {
  if (runs.some((r) => r.status === 'queued' || r.status === 'running')) return 'running';
  if (runs.some((r) => r.status === 'cancelled')) return 'cancelled';
  if (runs.some((r) => r.status === 'failed')) return 'failed';
  return 'done';
}

export class BatchSweepState {
  private runs: SweepRun[] = [];
  private skipped: SweepRun[] = [];
  private resumedRunIds: number[] = [];
  private since = { at: 0, done: 0 };
  private cancelling = false;
  private error: string | null = null;
  private started = false;
  private readonly offs: (() => void)[];
  private disposed = false;

  /** `now`: ms since the epoch, the clock main dates a batch's start by. */
  constructor(
    private readonly api: MicraApi,
    private readonly onChange: (s: BatchSnapshot | null) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.offs = [
      api.on('sweep.batchStarted', (b) => {
        this.adopt(b);
        this.notify();
      }),
      api.on('sweep.run', (r) => {
        const at = this.runs.findIndex((x) => x.id === r.id);
        if (at < 0) return;
        this.runs[at] = r;
        if (batchStatus(this.runs) !== 'running') this.cancelling = false;
        this.notify();
      }),
      api.on('job.updated', (j) => {
        if (j.kind !== 'sweep') return;
        const at = this.runs.findIndex((x) => x.jobId === j.id);
        const run = this.runs[at];
        if (!run) return;
        this.runs[at] = { ...run, cropsDone: Math.max(run.cropsDone, Math.round(j.done)) };
        this.notify();
      }),
    ];
  }

  /** Shows the project's latest batch, as main has it (none: nothing shown). */
  async load(): Promise<void> {
    try {
      const b = await this.api.invoke('sweep.batchCurrent', {});
      // A batch started meanwhile (its reply or its event) is newer than this answer.
      if (this.disposed || b === null || (this.started && this.since.at > b.startedAt)) return;
      this.adopt(b);
    } catch (e) {
      this.error = `The batch could not be read: ${errorMessage(e)}`;
    }
    this.notify();
  }

  /** Sweeps every ready image; `force` sweeps again those already swept with the model. */
  async start(force: boolean): Promise<void> {
    // One batch at a time from this page (main would join the open runs anyway).
    if (this.started && batchStatus(this.runs) === 'running') return;
    this.error = null;
    try {
      const b = await this.api.invoke('sweep.batch', force ? { force: true } : {});
      if (this.disposed) return;
      this.adopt(b);
    } catch (e) {
      this.error = `The batch could not start: ${errorMessage(e)}`;
    }
    this.notify();
  }

  private adopt(b: MainBatch): void {
    this.started = true;
    this.runs = [...b.runs];
    this.skipped = b.skipped;
    this.resumedRunIds = b.resumedRunIds;
    this.cancelling = false;
    this.since = { at: b.startedAt, done: b.cropsDoneAtStart };
  }

  /** One Cancel for the whole batch. */
  async cancel(): Promise<void> {
    const open = this.runs.filter((r) => r.status === 'queued' || r.status === 'running').map((r) => r.id);
    if (open.length === 0) return;
    this.cancelling = true;
    this.notify();
    try {
      await this.api.invoke('sweep.cancelRuns', { runIds: open });
    } catch (e) {
      this.cancelling = false;
      this.error = `The batch could not be cancelled: ${errorMessage(e)}`;
      this.notify();
    }
  }

  get snapshot(): BatchSnapshot | null {
    if (!this.started) return this.error ? { runs: [], skipped: [], resumedRunIds: [], done: 0, total: 0, etaSeconds: null, status: 'failed', cancelling: false, error: this.error } : null;
    const p = batchProgress(this.runs, this.since, this.now());
    return { runs: this.runs, skipped: this.skipped, resumedRunIds: this.resumedRunIds, ...p, status: batchStatus(this.runs), cancelling: this.cancelling, error: this.error };
  }

  dispose(): void {
    this.disposed = true;
    this.offs.forEach((off) => off());
  }

  private notify(): void {
    if (!this.disposed) this.onChange(this.snapshot);
  }
}
