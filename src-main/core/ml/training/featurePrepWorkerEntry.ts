// The 'prepareFeatures' worker thread (see featurePrepJob.ts): prepares the features and
// reports progress. On Linux it first lowers its own scheduling priority to the lowest
// (nice 19): there setpriority on the calling thread's id affects that thread alone, so the
// viewer, main and a sweep's engines get the cores first and this thread takes what is left. On
// other systems the same call would lower the whole compute process, so it is not made.
// Bundled to dist/compute/featurePrepWorker.js; run from source through tsx.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { JobCancelledError } from '../../jobs/jobContext';
import { FeaturePrepParamsSchema } from './featurePrepJobSchema';
import type { FeaturePrepWorkerMessage } from './featurePrepJob';
import { prepareProjectFeatures } from './featurePrepProject';

const LOWEST_PRIORITY = 19;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('featurePrepWorkerEntry must run in a worker thread');
  const send = (msg: FeaturePrepWorkerMessage): void => port.postMessage(msg);
  if (process.platform === 'linux') {
    try {
      os.setPriority(LOWEST_PRIORITY);
    } catch {
      // Not permitted (a sandbox): it runs at normal priority, still one thread, still cancellable.
    }
  }
  // Cancel ends this thread (featurePrepJob.ts); the signal is for the checks between crops.
  const controller = new AbortController();
  try {
    const result = await prepareProjectFeatures(FeaturePrepParamsSchema.parse(workerData), {
      signal: controller.signal,
      progress: (ready, total) => send({ type: 'progress', ready, total }),
    });
    send({ type: 'prepared', result });
  } catch (err) {
    if (err instanceof JobCancelledError) send({ type: 'failed', message: 'cancelled' });
    else send({ type: 'failed', message: err instanceof Error ? err.message || err.name : String(err) });
  }
}

void main();
