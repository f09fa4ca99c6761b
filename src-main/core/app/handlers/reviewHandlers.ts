// Sweep and review channels: thin adapters over the open project's SweepService (OpenProject.sweeps)
// and core/review/reviewService.ts.
import type { reviewRequests } from '../../../api/channels/reviewChannels';
import type { AppContext, HandlerGroup } from '../appContext';
import { addRegion, decide, reviewQueue, reviewStats, undo } from '../../review/reviewService';
import { heatmapOf } from '../../review/heatmap';
import { activeModelHasScreen } from '../../review/sweepScreenSetting';
import { DomainError } from '../../../api/domainError';


export function reviewHandlers(app: AppContext): HandlerGroup<typeof reviewRequests> {
  const sweeps = () => app.requireProject().sweeps;
  const runOf = (runId: number) => {
    const run = sweeps().runs.get(runId);
    if (!run) throw new DomainError('not-found', `no sweep run ${runId}`);
    return run;
  };
  return {
    'sweep.start': async ({ imageIds, all, modelId, classIndex, stride, maskMethod, screen }) => {
      const { store } = app.requireProject();
      const ids = all ? store.images.listByStatus('ready').map((i) => i.id) : (imageIds ?? []);
      if (ids.length === 0) throw new DomainError('bad-request', all ? 'the project has no ready image' : 'give imageIds or all: true');
      ids.forEach((id) => app.requireImage(id));
      return app.requireProject().featurePrep.yieldWhile(() => sweeps().start({ imageIds: ids, modelId, classIndex, stride, maskMethod, screen }));
    },
    'sweep.resume': async ({ runId }) => {
      runOf(runId);
      try {
        return await app.requireProject().featurePrep.yieldWhile(() => sweeps().resume(runId));
      } catch (err) {
        // A run that cannot be resumed (its model or image gone) is the caller's to fix.
        throw err instanceof DomainError ? err : new DomainError('bad-request', err instanceof Error ? err.message : String(err));
      }
    },
    'sweep.cancel': async ({ runId }) => {
      runOf(runId);
      return { cancelled: sweeps().cancel(runId) };
    },
    'sweep.runs': async ({ imageId }) => {
      app.requireImage(imageId);
      const service = sweeps();
      return service.runs.listForImage(imageId).map((r) => service.summary(r.id));
    },
    'sweep.screen': async ({ enabled }) => {
      const { store } = app.requireProject();
      if (enabled !== undefined) store.settings.setSweepScreen(enabled);
      return { enabled: store.settings.sweepScreen(), modelHasScreen: await activeModelHasScreen(store) };
    },
    'sweep.heatmap': async ({ runId }) => {
      const run = runOf(runId);
      return heatmapOf(sweeps().runs, run, app.requireImage(run.image_id));
    },
    'review.queue': async ({ imageId, order, states, runId, blindedFor }) => {
      app.requireImage(imageId);
      return reviewQueue(app.requireProject().store, imageId, order, states, runId, blindedFor);
    },
    'review.decide': async (params) => {
      const item = decide(app.requireProject().store, params);
      app.events.emit('review.changed', { imageId: item.imageId, item });
      return item;
    },
    'review.undo': async ({ imageId, decisionId, actor, blindedFor }) => {
      app.requireImage(imageId);
      const result = undo(app.requireProject().store, imageId, decisionId, actor, blindedFor);
      if (result.undoneDecisionId !== null) app.events.emit('review.changed', { imageId, item: result.item });
      return result;
    },
    'review.addRegion': async (params) => {
      app.requireImage(params.imageId);
      const { store, runner } = app.requireProject();
      const item = await addRegion(store, runner, params);
      app.events.emit('review.changed', { imageId: item.imageId, item });
      return item;
    },
    'review.stats': async ({ imageId, blindedFor }) => {
      app.requireImage(imageId);
      return reviewStats(app.requireProject().store, imageId, blindedFor);
    },
  };
}
