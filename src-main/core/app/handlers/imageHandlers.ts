import type { imageRequests } from '../../../api/channels/imageChannels';
import { TileStatsSchema } from '../../../api/entities';
import type { AppContext, HandlerGroup } from '../appContext';
import { importDepsOf, importFile, relinkImage, removeImage, renameImage, setPixelSize, type ImportDeps, type ImportPathOutcome } from '../importService';
import { DomainError } from '../../../api/domainError';


export function imageHandlers(app: AppContext): HandlerGroup<typeof imageRequests> {
  const deps = (): ImportDeps => {
    const { store, runner } = app.requireProject();
    return importDepsOf(store, runner, app.events);
  };
  return {
    'images.list': async () => {
      const { store } = app.requireProject();
      return store.images.list().map((row) => store.imageSummary(row));
    },
    'images.get': async ({ id }) => app.requireProject().store.imageSummary(app.requireImage(id)),
    'images.importPaths': async ({ paths, pages, page, skipDuplicates }) => {
      // One at a time: each import already uses the compute process's cores.
      const outcomes: ImportPathOutcome[] = [];
      for (const path of paths) outcomes.push(...(await importFile(deps(), { path, pages: pages ?? 'first', page, skipDuplicates: skipDuplicates ?? false })));
      return outcomes;
    },
    'images.remove': async ({ id }) => {
      await removeImage(deps(), app.requireImage(id));
      return { removed: id };
    },
    'images.relink': async ({ id, path }) => relinkImage(deps(), app.requireImage(id), path),
    'images.rename': async ({ id, name }) => renameImage(deps(), app.requireImage(id), name),
    'images.setPixelSize': async ({ id, pixelSizeNm }) => setPixelSize(deps(), app.requireImage(id), pixelSizeNm),
    'images.tileStats': async ({ id, level }) => {
      const image = app.requireImage(id);
      if (level >= image.levels) throw new DomainError('bad-request', `image ${id} has ${image.levels} levels`);
      const { store, runner } = app.requireProject();
      const job = runner.run('tileStats', { projectDir: store.dir, imageId: id, level }, { imageId: id });
      return TileStatsSchema.parse(await job.result);
    },
  };
}
