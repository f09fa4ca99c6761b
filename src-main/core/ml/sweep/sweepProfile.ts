// Where a grid sweep's wall time goes, phase by phase (issue #19's profile). Off unless
// MICRA_SWEEP_PROFILE=1: then the compute process prints one JSON line to stderr when the job
// ends. Phases overlap (reading runs while the engines work), so their sum can exceed the wall
// time; `wait` phases are the time the job's loop stood waiting on a phase.

export class SweepProfile {
  private readonly totals = new Map<string, { seconds: number; count: number }>();
  private readonly t0 = performance.now();

  constructor(readonly enabled: boolean) {}

  /** Times `work` under `phase` (when enabled). */
  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    if (!this.enabled) return work();
    const t = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, (performance.now() - t) / 1000);
    }
  }

  add(phase: string, seconds: number, count = 1): void {
    if (!this.enabled) return;
    const entry = this.totals.get(phase) ?? { seconds: 0, count: 0 };
    entry.seconds += seconds;
    entry.count += count;
    this.totals.set(phase, entry);
  }

  /** A mark relative to the job's start (first suggestion, engines ready). */
  mark(name: string): void {
    if (this.enabled && !this.totals.has(name)) this.totals.set(name, { seconds: (performance.now() - this.t0) / 1000, count: 0 });
  }

  report(): Record<string, { seconds: number; count: number }> {
    return Object.fromEntries([['wall', { seconds: (performance.now() - this.t0) / 1000, count: 1 }], ...this.totals]);
  }

  print(): void {
    if (this.enabled) process.stderr.write(`micra-sweep-profile ${JSON.stringify(this.report())}\n`);
  }
}

export function sweepProfileEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['MICRA_SWEEP_PROFILE'] === '1';
}
