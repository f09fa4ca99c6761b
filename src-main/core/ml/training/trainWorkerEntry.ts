// The training worker thread (see trainWorker.ts): trains, reporting progress, and stops between
// steps when asked; its checkpoint writes go through the CancelGate so that the host ends it
// only outside them. Bundled to dist/compute/trainWorker.js; run from source through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { CancelGate } from '../../jobs/cancelGate';
import { JobCancelledError } from '../../jobs/jobContext';
import { TrainParamsSchema } from './trainJobSchema';
import { trainNetwork } from './trainNetwork';
import type { HostToTrainWorker, TrainWorkerData, TrainWorkerMessage } from './trainWorker';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('trainWorkerEntry must run in a worker thread');
  const data = workerData as TrainWorkerData;
  const gate = new CancelGate(data.gate);
  const controller = new AbortController();
  const send = (msg: TrainWorkerMessage): void => port.postMessage(msg);
  port.on('message', (msg: HostToTrainWorker) => {
    if (msg.type === 'cancel') controller.abort();
  });
  try {
    const loop = await trainNetwork(TrainParamsSchema.parse(data.params), {
      signal: controller.signal,
      critical: (write) => gate.guard(write),
      progress: (done, total, message) => send({ type: 'progress', done, total, ...(message === undefined ? {} : { message }) }),
      dataset: (counts) => send({ type: 'dataset', counts }),
    });
    send({ type: 'trained', loop });
  } catch (err) {
    if (err instanceof JobCancelledError || controller.signal.aborted) send({ type: 'cancelled' });
    else send({ type: 'failed', message: err instanceof Error ? err.message || err.name : String(err) });
  }
}

void main();
