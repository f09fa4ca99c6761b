// The batch sweep's channels: thin adapters over core/review/batchSweep.ts and the open project's SweepService.
import { DomainError } from '../../../api/domainError';
import { cancelRuns, currentBatch, startBatchSweep, type BatchSweep } from '../../review/batchSweep';
import type { batchSweepRequests } from '../../../api/channels/batchSweepChannels';
import type { AppContext, HandlerGroup } from '../appContext';

export function batchSweepHandlers(app: AppContext): HandlerGroup<typeof batchSweepRequests> {
  return {
    'sweep.batch': async ({ imageIds, force, modelId, classIndex }) => {
      const { store, sweeps } = app.requireProject();
      const ids = imageIds ?? store.images.listByStatus('ready').map((i) => i.id);
      if (ids.length === 0) throw new DomainError('bad-request', 'the project has no ready image');
      ids.forEach((id) => app.requireImage(id));
      let batch: BatchSweep;
      try {
        batch = await startBatchSweep(store, sweeps, { imageIds: ids, force, modelId, classIndex });
      } catch (err) {
        // No model, a model not ready, an image not ready: the caller's to fix.
        throw err instanceof DomainError ? err : new DomainError('bad-request', err instanceof Error ? err.message : String(err));
      }
      app.events.emit('sweep.batchStarted', batch);
      return batch;
    },
    'sweep.batchCurrent': async () => {
      const { store, sweeps } = app.requireProject();
      return currentBatch(store, sweeps);
    },
    'sweep.cancelRuns': async ({ runIds }) => ({ cancelled: cancelRuns(app.requireProject().sweeps, runIds) }),
  };
}
