// Runs trainNetwork in a worker thread of the compute process, so that a cancel is prompt even
// when one training step is long (a batch of 256² crops takes tens of seconds on a slow CPU,
// and a thread inside a step reads no messages). Cancel: the worker is asked to stop between
// steps; if it has not ended after CANCEL_GRACE_MS it is terminated mid-step, but never during a
// checkpoint write (the CancelGate). Either way the checkpoints on disk are those of the last
// completed epoch, exactly what a stop between steps keeps: the in-memory weights of a partial
// epoch are never saved. The cooperative stop first lets native backends release their memory.
import type { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { CancelGate } from '../../jobs/cancelGate';
import { JobCancelledError } from '../../jobs/jobContext';
import { lastWorkerError, startWorker } from '../workerPool';
import { TrainResultSchema, type TrainParams } from './trainJobSchema';
import type { DatasetCounts, TrainedLoop } from './trainNetwork';

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 500;

export interface TrainWorkerData {
  params: TrainParams;
  /** The CancelGate's buffer. */
  gate: SharedArrayBuffer;
}

export type HostToTrainWorker = { type: 'cancel' };

const TrainedLoopSchema = TrainResultSchema.pick({
  history: true,
  bestEpoch: true,
  stoppedEarly: true,
  resumedFromEpoch: true,
  steps: true,
  seconds: true,
  backend: true,
});

export const TrainWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), done: z.number().nonnegative(), total: z.number().nonnegative(), message: z.string().optional() }),
  z.object({ type: z.literal('dataset'), counts: TrainResultSchema.shape.counts }),
  z.object({ type: z.literal('trained'), loop: TrainedLoopSchema }),
  z.object({ type: z.literal('cancelled') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type TrainWorkerMessage = z.infer<typeof TrainWorkerMessageSchema>;

export interface TrainWorkerOptions {
  signal: AbortSignal;
  progress: (done: number, total: number, message?: string) => void;
  dataset?: (counts: DatasetCounts) => void;
  /** The worker script; default: the bundled dist/compute/trainWorker.js or, from source, the .ts. */
  workerScript?: URL;
  graceMs?: number;
}

function defaultWorkerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./trainWorkerEntry.ts', here);
  // Bundles live in dist/<area>/*.js (compute/main.js, cli/micra.js): the worker is dist/compute/.
  return new URL('../compute/trainWorker.js', here);
}

/** Trains in a worker thread; rejects with JobCancelledError once the worker has ended after a cancel. */
export function runTrainWorker(params: TrainParams, o: TrainWorkerOptions): Promise<TrainedLoop> {
  const gate = new CancelGate();
  const data: TrainWorkerData = { params, gate: gate.buffer };
  const worker: Worker = startWorker(o.workerScript ?? defaultWorkerScript(), data);
  return new Promise<TrainedLoop>((resolve, reject) => {
    let settled = false;
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      fn();
      // The worker has nothing left to do (or is being ended): its thread goes.
      void worker.terminate();
    };
    const end = (): void => {
      if (settled) return;
      if (gate.tryEnd()) {
        // Settled on 'exit', once the thread is really gone.
        void worker.terminate();
        return;
      }
      timer = setTimeout(end, 20); // writing a checkpoint: ask again shortly
    };
    function onAbort(): void {
      if (cancelled) return;
      cancelled = true;
      worker.postMessage({ type: 'cancel' } satisfies HostToTrainWorker);
      timer = setTimeout(end, o.graceMs ?? CANCEL_GRACE_MS);
    }
    worker.on('message', (raw: unknown) => {
      const parsed = TrainWorkerMessageSchema.safeParse(raw);
      if (!parsed.success) return settle(() => reject(new Error('the training worker sent a malformed message')));
      const msg = parsed.data;
      switch (msg.type) {
        case 'progress':
          if (!cancelled) o.progress(msg.done, msg.total, msg.message);
          return;
        case 'dataset':
          o.dataset?.(msg.counts);
          return;
        case 'trained':
          // A cancel that came too late to stop the loop does not undo its work.
          return settle(() => resolve(msg.loop));
        case 'cancelled':
          return settle(() => reject(new JobCancelledError()));
        case 'failed':
          return settle(() => reject(cancelled ? new JobCancelledError() : new Error(msg.message)));
      }
    });
    worker.on('exit', (code) => {
      if (cancelled) return settle(() => reject(new JobCancelledError()));
      const why = lastWorkerError(worker);
      settle(() => reject(new Error(`the training worker ended unexpectedly (${why ? `${why}; ` : ''}exit code ${code})`)));
    });
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort);
  });
}
