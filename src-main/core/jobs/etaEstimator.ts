// Estimates the time left from successive progress reports. Work often arrives in bursts
// (a batch of tiles finishes at once, then nothing for a while), so the rate is measured over
// a window of *time*, not of reports: a burst of reports within a few milliseconds cannot make
// the rate look huge, and a pause is averaged with the work around it.

export interface EtaOptions {
  /** How much recent history sets the rate. */
  windowMs?: number;
  /** No estimate until progress has been observed over at least this long. */
  minSpanMs?: number;
}

interface Sample {
  t: number;
  done: number;
}

export class EtaEstimator {
  private readonly windowMs: number;
  private readonly minSpanMs: number;
  private samples: Sample[] = [];

  constructor(opts: EtaOptions = {}) {
    this.windowMs = opts.windowMs ?? 30_000;
    this.minSpanMs = opts.minSpanMs ?? 1_000;
  }

  /** Marks the start of the work (nothing done yet), so the first burst counts too. */
  start(nowMs: number): void {
    this.samples = [{ t: nowMs, done: 0 }];
  }

  /** Records a report at time `nowMs`; returns the estimated seconds left, or null if unknown. */
  report(done: number, total: number, nowMs: number): number | null {
    const last = this.samples.at(-1);
    if (last && done < last.done) this.samples = []; // the job restarted its count
    if (last && nowMs === last.t) last.done = Math.max(last.done, done);
    else this.samples.push({ t: nowMs, done });
    // Keep one sample at or before the window's start as its anchor.
    while (this.samples.length > 2 && (this.samples[1]?.t ?? nowMs) <= nowMs - this.windowMs) this.samples.shift();
    if (total > 0 && done >= total) return 0;
    const first = this.samples[0];
    if (!first || total <= 0) return null;
    const span = nowMs - first.t;
    const progressed = done - first.done;
    if (span < this.minSpanMs || progressed <= 0) return null;
    const perMs = progressed / span;
    return (total - done) / perMs / 1000;
  }
}
