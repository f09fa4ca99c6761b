// The benchmark's ETA: what is left (training steps, validation passes, test fields, fields to
// segment) times what each costs, measured in this session as soon as there is a measurement
// and guessed from the training step until then (a forward pass is about a third of a training
// step; segmenting a field runs Grad-CAM of every block for each of its digits, about three
// training steps' worth of a crop on these fields).
export interface EtaPlan {
  totalSteps: number;
  batchSize: number;
  epochs: number;
  validationFields: number;
  testFields: number;
  segmentFields: number;
}

export interface EtaProgress {
  stepsDone: number;
  epochsDone: number;
  testDone: number;
  segmentDone: number;
}

export class BenchEta {
  private stepSeconds: number[] = [];
  private evalPerField: number | null = null;
  private segmentPerField: number | null = null;

  constructor(private readonly plan: EtaPlan) {}

  step(seconds: number): void {
    this.stepSeconds.push(seconds);
    if (this.stepSeconds.length > 50) this.stepSeconds.shift();
  }

  evaluated(fields: number, seconds: number): void {
    if (fields > 0) this.evalPerField = seconds / fields;
  }

  segmented(fields: number, seconds: number): void {
    if (fields > 0) this.segmentPerField = seconds / fields;
  }

  /** Seconds left, or null before anything has been measured. */
  remaining(p: EtaProgress): number | null {
    const step = this.stepSeconds.length > 0 ? this.stepSeconds.reduce((a, b) => a + b, 0) / this.stepSeconds.length : null;
    const perCrop = step === null ? null : step / this.plan.batchSize;
    const evalField = this.evalPerField ?? (perCrop === null ? null : perCrop / 3);
    const segmentField = this.segmentPerField ?? (perCrop === null ? null : perCrop * 3);
    if (evalField === null || segmentField === null) return null;
    const steps = Math.max(0, this.plan.totalSteps - p.stepsDone) * (step ?? 0);
    const validation = Math.max(0, this.plan.epochs - p.epochsDone) * this.plan.validationFields * evalField;
    const test = Math.max(0, this.plan.testFields - p.testDone) * evalField;
    const segment = Math.max(0, this.plan.segmentFields - p.segmentDone) * segmentField;
    return steps + validation + test + segment;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
