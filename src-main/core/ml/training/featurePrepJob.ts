// The 'prepareFeatures' job (compute process): computes the frozen features of newly labelled
// crops into the project's feature store in the background, so that "Retrain from decisions"
// only reads them (featurePrep.ts says what exactly is prepared; featurePrepScheduler.ts in main
// decides when). It runs in a worker thread of its own at the lowest thread priority, on one
// core (featurePrepWorkerEntry.ts), so the compute process's message loop and a sweep's engines
// are never held up by it. Cancel ends the thread at once: every feature file is written to a
// temporary name and renamed, so an ended write leaves no entry (the stale temp file is pruned).
import type { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { JobCancelledError, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { lastWorkerError, startWorker } from '../workerPool';
import { encodeFeaturePrepProgress } from '../../../../src-shared/featurePrepProgress';
import { FeaturePrepParamsSchema, FeaturePrepResultSchema, type FeaturePrepParams, type FeaturePrepResult } from './featurePrepJobSchema';

export const FeaturePrepWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), ready: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  z.object({ type: z.literal('prepared'), result: FeaturePrepResultSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FeaturePrepWorkerMessage = z.infer<typeof FeaturePrepWorkerMessageSchema>;

function defaultWorkerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./featurePrepWorkerEntry.ts', here);
  // Bundles live in dist/<area>/*.js: the worker is dist/compute/featurePrepWorker.js.
  return new URL('../compute/featurePrepWorker.js', here);
}

/** Runs the preparation in its worker thread; rejects with JobCancelledError once a cancel has ended it. */
export function runFeaturePrepWorker(p: FeaturePrepParams, ctx: JobContext, workerScript: URL = defaultWorkerScript()): Promise<FeaturePrepResult> {
  const worker: Worker = startWorker(workerScript, p);
  return new Promise<FeaturePrepResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    function onAbort(): void {
      settle(() => reject(new JobCancelledError()));
    }
    worker.on('message', (raw: unknown) => {
      const parsed = FeaturePrepWorkerMessageSchema.safeParse(raw);
      if (!parsed.success) return settle(() => reject(new Error('the feature preparation worker sent a malformed message')));
      const msg = parsed.data;
      if (msg.type === 'progress') ctx.progress(msg.ready, msg.total, encodeFeaturePrepProgress(msg));
      else if (msg.type === 'prepared') settle(() => resolve(msg.result));
      else settle(() => reject(msg.message === 'cancelled' ? new JobCancelledError() : new Error(msg.message)));
    });
    worker.on('exit', (code) => {
      const why = lastWorkerError(worker);
      settle(() => reject(new Error(`the feature preparation worker ended unexpectedly (${why ? `${why}; ` : ''}exit code ${code})`)));
    });
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort);
  });
}

export const featurePrepJobHandler: JobHandler<FeaturePrepParams, FeaturePrepResult> = {
  kind: 'prepareFeatures',
  params: FeaturePrepParamsSchema,
  run: (p, ctx) => runFeaturePrepWorker(p, ctx),
};
