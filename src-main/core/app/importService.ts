// One import, whichever door the file came through (a path from Electron or the CLI, bytes
// uploaded in serve mode): probe it, register it as 'importing', build the pyramid in the
// compute process, then mark it ready — or remove every trace of it and say why.
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportOutcome } from '../../api/types';
import { probeTiff } from '../imaging/tiffProbe';
import { removeImageTiles } from '../imaging/tileStore';
import type { JobRunner } from '../jobs/jobRunner';
import { pyramidLevelCount, TILE_SIZE, toStoredPath } from '../project/projectLayout';
import type { ProjectStore } from '../project/projectStore';
import { ImportResultSchema } from '../imaging/importJob';

export interface ImportRequest {
  /** The file to read. */
  path: string;
  /** How the user knows the file (the dropped file's name); defaults to the path's base name. */
  displayName?: string;
  /** The file is a copy the app made (an upload): remove it if the import fails. */
  ownedCopy?: boolean;
}

export interface ImportDeps {
  store: ProjectStore;
  runner: JobRunner;
  imagesChanged: (imageId: number | null) => void;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function pageNotice(imagePages: number): string | null {
  return imagePages > 1 ? `multi-page file: imported the first page of ${imagePages}` : null;
}

export async function importImage(deps: ImportDeps, request: ImportRequest): Promise<ImportOutcome> {
  const { store, runner } = deps;
  const file = request.displayName ?? basename(request.path);
  const discardCopy = async () => {
    if (request.ownedCopy) await rm(request.path, { force: true });
  };

  let probe;
  try {
    probe = await probeTiff(request.path);
  } catch (err) {
    await discardCopy();
    return { ok: false, file, error: message(err) };
  }

  const imageId = store.images.insertImporting({
    name: file,
    width: probe.width,
    height: probe.height,
    bitsPerSample: probe.storedBitsPerSample,
    channels: probe.storedChannels,
    tileSize: TILE_SIZE,
    levels: pyramidLevelCount(probe.width, probe.height),
    pixelSizeNm: probe.pixelSizeNm,
    sourcePath: toStoredPath(store.dir, request.path),
    contentHash: null,
    notice: pageNotice(probe.imagePageCount),
  });
  deps.imagesChanged(imageId);

  try {
    const job = runner.run('import', { projectDir: store.dir, imageId, sourcePath: request.path }, { imageId });
    const result = ImportResultSchema.parse(await job.result);
    const duplicate = store.images.findByContentHash(result.contentHash);
    store.transaction(() => {
      store.images.setContentHash(imageId, result.contentHash);
      if (result.notice !== null) store.images.setNotice(imageId, result.notice);
      if (result.pixelSizeNm !== probe.pixelSizeNm) store.images.setPixelSize(imageId, result.pixelSizeNm);
      store.images.markReady(imageId);
    });
    deps.imagesChanged(imageId);
    const row = store.images.get(imageId);
    if (!row) throw new Error(`image ${imageId} vanished during import`);
    return {
      ok: true,
      file,
      image: store.imageSummary(row),
      duplicateOf: duplicate && duplicate.id !== imageId ? duplicate.id : null,
    };
  } catch (err) {
    // Nothing half-imported stays behind: no row, no tiles, no uploaded copy.
    await removeImageTiles(store.dir, imageId);
    store.images.remove(imageId);
    await discardCopy();
    deps.imagesChanged(null);
    return { ok: false, file, error: message(err) };
  }
}
