// What a job handler sees of the world while it runs in the compute process.
import type { z } from 'zod';
import type { JobNote } from './jobProtocol';

export interface JobContext {
  /** Aborted when the user cancels; handlers check it between units of work. */
  readonly signal: AbortSignal;
  /** Reports progress; the host derives the ETA from successive reports. */
  progress(done: number, total: number, message?: string): void;
  /** Tells main of something made before the job ends (absent where nobody listens). */
  note?(note: JobNote): void;
}

/**
 * A kind of job the compute process can run. Params arrive from another process, so every
 * handler declares the schema that validates them before `run` sees them.
 */
export interface JobHandler<P, R> {
  readonly kind: string;
  readonly params: z.ZodType<P>;
  run(params: P, ctx: JobContext): Promise<R>;
}

/** Thrown (or rejected with) by handlers that stop because their signal was aborted. */
export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError();
}

/**
 * Lets the event loop deliver what has arrived (a cancel among it), then throws if cancelled.
 * Long synchronous work (training steps, batches of predictions) calls this between its units:
 * `await` on a value that is already there only runs microtasks, so without this a cancel sent
 * over IPC or a MessagePort waits for the next real I/O, which may be an epoch away.
 */
export async function checkCancelled(signal: AbortSignal | undefined): Promise<void> {
  await yieldToEventLoop();
  if (signal) throwIfCancelled(signal);
}

/** One turn of the event loop: messages that have arrived (a cancel, another job's start) are handled. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
