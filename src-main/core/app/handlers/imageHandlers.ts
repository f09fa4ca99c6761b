import { TileStatsSchema } from '../../../api/entities';
import type { ImportOutcome } from '../../../api/types';
import type { AppContext, HandlerGroup } from '../appContext';
import { ApiFailure } from '../requestDispatcher';

export function imageHandlers(app: AppContext): HandlerGroup<'images.list' | 'images.get' | 'images.importPaths' | 'images.tileStats'> {
  return {
    'images.list': async () => {
      const { store } = app.requireProject();
      return store.images.list().map((row) => store.imageSummary(row));
    },
    'images.get': async ({ id }) => app.requireProject().store.imageSummary(app.requireImage(id)),
    'images.importPaths': async ({ paths }) => {
      // One at a time: each import already uses the compute process's cores.
      const outcomes: ImportOutcome[] = [];
      for (const path of paths) outcomes.push(await app.importFile(path));
      return outcomes;
    },
    'images.tileStats': async ({ id, level }) => {
      const image = app.requireImage(id);
      if (level >= image.levels) throw new ApiFailure('bad-request', `image ${id} has ${image.levels} levels`);
      const { store, runner } = app.requireProject();
      const job = runner.run('tileStats', { projectDir: store.dir, imageId: id, level }, { imageId: id });
      return TileStatsSchema.parse(await job.result);
    },
  };
}
