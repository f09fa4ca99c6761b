// Per-frame CPU time of the viewer's own work (scene update + render submission), kept in a
// ring buffer so benchmarks can read median and p95 after a scripted session.

export class FrameStats {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
  }

  /** The recorded frame times, oldest first. */
  values(): number[] {
    const out: number[] = [];
    const start = this.count < this.samples.length ? 0 : this.next;
    for (let i = 0; i < this.count; i++) out.push(this.samples[(start + i) % this.samples.length] as number);
    return out;
  }

  summary(): { frames: number; medianMs: number; p95Ms: number; maxMs: number } {
    const v = this.values().sort((a, b) => a - b);
    const q = (f: number): number => (v.length ? (v[Math.min(v.length - 1, Math.floor(f * v.length))] as number) : 0);
    return { frames: v.length, medianMs: q(0.5), p95Ms: q(0.95), maxMs: v.length ? (v[v.length - 1] as number) : 0 };
  }
}
