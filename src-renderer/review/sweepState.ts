// The sweep side of review mode for one image: its runs, the running job's progress and ETA,
// start / cancel / resume, and the heat map of crop scores kept current from 'sweep.crops'.
import type { JobSummary, MicraApi } from '../../src-main/api/types';
import { applyCropScores } from './reviewOverlay';
import type { Heatmap, SweepRun } from './reviewTypes';
import { errorMessage } from '../lib/request';

export interface SweepSnapshot {
  /** The newest run of the image, or null when it was never swept. */
  readonly run: SweepRun | null;
  readonly job: JobSummary | null;
  readonly heatmap: Heatmap | null;
  /** Bumped whenever the heat map's scores change (it is mutated in place). */
  readonly heatmapVersion: number;
  readonly error: string | null;
}

export class SweepState {
  private run: SweepRun | null = null;
  private job: JobSummary | null = null;
  private heatmap: Heatmap | null = null;
  private heatmapVersion = 0;
  private error: string | null = null;
  private readonly offs: (() => void)[];
  private disposed = false;

  constructor(
    private readonly api: MicraApi,
    private readonly imageId: number,
    private readonly onChange: (s: SweepSnapshot) => void,
  ) {
    this.offs = [
      api.on('sweep.run', (r) => {
        if (r.imageId !== imageId) return;
        const newer = !this.run || r.id >= this.run.id;
        if (!newer) return;
        const fresh = this.run?.id !== r.id;
        this.run = r;
        if (fresh || r.status !== 'running') void this.loadHeatmap(r.id);
        this.notify();
      }),
      api.on('job.updated', (j) => {
        if (j.kind !== 'sweep' || j.imageId !== imageId) return;
        this.job = j;
        if (this.run && j.id === this.run.jobId) this.run = { ...this.run, cropsDone: Math.max(this.run.cropsDone, Math.round(j.done)) };
        this.notify();
      }),
      api.on('review.suggestions', (e) => {
        if (e.imageId !== imageId || this.run?.id !== e.runId) return;
        this.run = { ...this.run, suggestions: Math.max(0, this.run.suggestions + e.added.length - e.removed.length) };
        this.notify();
      }),
      api.on('sweep.crops', (e) => {
        if (e.imageId !== imageId || !this.heatmap || this.heatmap.runId !== e.runId) return;
        if (applyCropScores(this.heatmap, e.crops)) {
          this.heatmapVersion++;
          this.notify();
        }
      }),
    ];
  }

  async load(): Promise<void> {
    try {
      const runs = await this.api.invoke('sweep.runs', { imageId: this.imageId });
      this.run = runs.reduce<SweepRun | null>((a, r) => (!a || r.id > a.id ? r : a), null);
      if (this.run) await this.loadHeatmap(this.run.id);
    } catch (e) {
      this.error = errorMessage(e);
    }
    this.notify();
  }

  /** Sweeps this image (or every ready image of the project) with the active or default model. */
  async start(all: boolean): Promise<void> {
    this.error = null;
    try {
      const runs = await this.api.invoke('sweep.start', all ? { all: true } : { imageIds: [this.imageId] });
      const mine = runs.find((r) => r.imageId === this.imageId);
      if (mine) {
        this.run = mine;
        this.job = null;
        await this.loadHeatmap(mine.id);
      }
    } catch (e) {
      this.error = `The sweep could not start: ${errorMessage(e)}`;
    }
    this.notify();
  }

  async cancel(): Promise<void> {
    if (!this.run) return;
    try {
      await this.api.invoke('sweep.cancel', { runId: this.run.id });
    } catch (e) {
      this.error = errorMessage(e);
      this.notify();
    }
  }

  async resume(): Promise<void> {
    if (!this.run) return;
    this.error = null;
    try {
      this.run = await this.api.invoke('sweep.resume', { runId: this.run.id });
    } catch (e) {
      this.error = `The sweep could not resume: ${errorMessage(e)}`;
    }
    this.notify();
  }

  dispose(): void {
    this.disposed = true;
    this.offs.forEach((off) => off());
  }

  private async loadHeatmap(runId: number): Promise<void> {
    try {
      const h = await this.api.invoke('sweep.heatmap', { runId });
      if (this.run?.id !== runId) return;
      this.heatmap = h;
      this.heatmapVersion++;
    } catch (e) {
      this.error = errorMessage(e);
    }
    this.notify();
  }

  private notify(): void {
    if (this.disposed) return;
    this.onChange({ run: this.run, job: this.job, heatmap: this.heatmap, heatmapVersion: this.heatmapVersion, error: this.error });
  }
}

/** "12 / 40 crops · ETA 1 m 05 s" style progress text. */
export function sweepProgressText(run: SweepRun, job: JobSummary | null): string {
  const total = run.cols * run.rows;
  const parts = [`${Math.min(total, run.cropsDone)} / ${total} crops`];
  if (run.status === 'running' && job?.etaSeconds !== null && job?.etaSeconds !== undefined) parts.push(`ETA ${formatSeconds(job.etaSeconds)}`);
  parts.push(`${run.suggestions} suggestion${run.suggestions === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function formatSeconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t} s`;
  const m = Math.floor(t / 60);
  const r = t % 60;
  if (m < 60) return `${m} m ${String(r).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}
