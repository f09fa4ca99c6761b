// Sweep and review channels (issue 7). One SweepService per open project, created as soon as
// the project opens so that runs a crash interrupted are closed and their journals ingested.
import type { AppContext, HandlerGroup, OpenProject } from '../appContext';
import { ApiFailure } from '../requestDispatcher';
import { addRegion, decide, reviewQueue, reviewStats, ReviewInputError, undo } from '../../review/reviewService';
import { heatmapOf } from '../../review/heatmap';
import { SweepService } from '../../review/sweepService';

const services = new WeakMap<OpenProject, SweepService>();

/** The sweep service of the app's open project (the CLI and tests use it directly). */
export function sweepServiceFor(app: AppContext): SweepService {
  const project = app.requireProject();
  let service = services.get(project);
  if (!service) {
    service = new SweepService(project.store, project.runner, app.events);
    services.set(project, service);
  }
  return service;
}

async function mapped<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ReviewInputError) throw new ApiFailure(err.kind, err.message);
    throw err;
  }
}

type ReviewChannel =
  | 'sweep.start'
  | 'sweep.resume'
  | 'sweep.cancel'
  | 'sweep.runs'
  | 'sweep.heatmap'
  | 'review.queue'
  | 'review.decide'
  | 'review.undo'
  | 'review.addRegion'
  | 'review.stats';

export function reviewHandlers(app: AppContext): HandlerGroup<ReviewChannel> {
  app.events.subscribe((event) => {
    if (event === 'project.changed') sweepServiceFor(app);
  });
  const runOf = (runId: number) => {
    const run = sweepServiceFor(app).runs.get(runId);
    if (!run) throw new ApiFailure('not-found', `no sweep run ${runId}`);
    return run;
  };
  return {
    'sweep.start': async ({ imageIds, all, modelId, classIndex, stride, maskMethod }) => {
      const { store } = app.requireProject();
      const ids = all ? store.images.listByStatus('ready').map((i) => i.id) : (imageIds ?? []);
      if (ids.length === 0) throw new ApiFailure('bad-request', all ? 'the project has no ready image' : 'give imageIds or all: true');
      ids.forEach((id) => app.requireImage(id));
      return sweepServiceFor(app).start({ imageIds: ids, modelId, classIndex, stride, maskMethod });
    },
    'sweep.resume': async ({ runId }) => {
      runOf(runId);
      return mapped(() => sweepServiceFor(app).resume(runId)).catch((err: unknown) => {
        throw err instanceof ApiFailure ? err : new ApiFailure('bad-request', err instanceof Error ? err.message : String(err));
      });
    },
    'sweep.cancel': async ({ runId }) => {
      runOf(runId);
      return { cancelled: sweepServiceFor(app).cancel(runId) };
    },
    'sweep.runs': async ({ imageId }) => {
      app.requireImage(imageId);
      const service = sweepServiceFor(app);
      return service.runs.listForImage(imageId).map((r) => service.summary(r.id));
    },
    'sweep.heatmap': async ({ runId }) => {
      const run = runOf(runId);
      return heatmapOf(sweepServiceFor(app).runs, run, app.requireImage(run.image_id));
    },
    'review.queue': async ({ imageId, order, states, runId }) => {
      app.requireImage(imageId);
      return reviewQueue(app.requireProject().store, imageId, order, states, runId);
    },
    'review.decide': async (params) => {
      const item = await mapped(() => decide(app.requireProject().store, params));
      app.events.emit('review.changed', { imageId: item.imageId, item });
      return item;
    },
    'review.undo': async ({ imageId, decisionId, actor }) => {
      app.requireImage(imageId);
      const result = await mapped(() => undo(app.requireProject().store, imageId, decisionId, actor));
      if (result.undoneDecisionId !== null) app.events.emit('review.changed', { imageId, item: result.item });
      return result;
    },
    'review.addRegion': async (params) => {
      app.requireImage(params.imageId);
      const { store, runner } = app.requireProject();
      const item = await mapped(() => addRegion(store, runner, params));
      app.events.emit('review.changed', { imageId: item.imageId, item });
      return item;
    },
    'review.stats': async ({ imageId }) => {
      app.requireImage(imageId);
      return mapped(() => reviewStats(app.requireProject().store, imageId));
    },
  };
}
