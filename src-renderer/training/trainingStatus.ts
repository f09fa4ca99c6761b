// What the training panel shows about a running job. The training job reports structured
// progress as JSON after a 'training:' prefix in the job's message (the contract of
// src-main/core/ml/training/trainingProgress.ts); the renderer may only import types from the
// main side, so the shape is read here defensively: anything unexpected is shown as plain text.

export interface StepProgress {
  readonly type: 'step';
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  readonly learningRate: number;
}

export interface EpochProgress {
  readonly type: 'epoch';
  readonly epoch: number;
}

export type TrainingMessage = StepProgress | EpochProgress | { readonly type: 'text'; readonly text: string };

const PREFIX = 'training:';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseTrainingMessage(message: string | null): TrainingMessage | null {
  if (message === null || message === '') return null;
  if (!message.startsWith(PREFIX)) return { type: 'text', text: message };
  let raw: unknown;
  try {
    raw = JSON.parse(message.slice(PREFIX.length));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (o.type === 'step' && isNum(o.epoch) && isNum(o.epochs) && isNum(o.step) && isNum(o.stepsPerEpoch) && isNum(o.loss)) {
    return { type: 'step', epoch: o.epoch, epochs: o.epochs, step: o.step, stepsPerEpoch: o.stepsPerEpoch, loss: o.loss, learningRate: isNum(o.learningRate) ? o.learningRate : 0 };
  }
  if (o.type === 'epoch' && typeof o.metrics === 'object' && o.metrics !== null) {
    const epoch = (o.metrics as Record<string, unknown>).epoch;
    if (isNum(epoch)) return { type: 'epoch', epoch };
  }
  return null;
}

/** "1 h 02 min", "3 min 05 s", "42 s"; "–" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Fraction done, 0..1, from the job's counters (0 when the total is not known yet). */
export function fractionDone(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, done / total));
}

/**
 * True while a cancel of a running job is under way: from the moment this window asked for it
 * (`requestedJobId`), or from the server's word (`cancelling`, seen by every window), until the
 * job has ended.
 */
export function isCancelling(job: { id: number; status: string; cancelling?: boolean | undefined }, requestedJobId: number | null): boolean {
  const live = job.status === 'running' || job.status === 'queued';
  return live && (job.cancelling === true || requestedJobId === job.id);
}
