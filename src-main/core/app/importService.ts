// The life of an image's pixels in a project, whichever door the file came through (a path from
// Electron or the CLI, bytes uploaded in serve mode): import (probe, register as 'importing',
// build the pyramid in the compute process, mark ready — or remove every trace and say why),
// resume after a crash, re-link a moved original, remove.
import { constants as fsConstants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImageSummary, ImportOutcome, RequestResult } from '../../api/types';
import { ImportJobResultSchema, type ImportJobResult, type ImportParams } from '../imaging/importJob';
import { probeTiff, type TiffProbe } from '../imaging/tiffProbe';
import { removeImageTiles } from '../imaging/tileStore';
import { removeCropScores } from '../ml/dataset/cropOrder';
import { ComputeHostDisposedError } from '../jobs/computeHost';
import type { JobRunner } from '../jobs/jobRunner';
import type { ImageRow } from '../project/imagesRepo';
import type { AppEvents } from './appEvents';
import { levelCount, TILE_SIZE } from '../../../src-shared/pyramidGeometry';
import { resolveStoredPathOrNull, toStoredPath, uploadedCopyPath } from '../project/projectLayout';
import type { ProjectStore } from '../project/projectStore';
import { DomainError } from '../../api/domainError';

export type PageChoice = 'first' | 'each';
export type ImportPathOutcome = RequestResult<'images.importPaths'>[number];

export interface ImportRequest {
  /** The file to read. */
  path: string;
  /** How the user knows the file (the dropped file's name); defaults to the path's base name. */
  displayName?: string;
  /** The file is a copy the app made (an upload): remove it if no image comes of it. */
  ownedCopy?: boolean;
  /** Multi-page files: the first page only (with a notice saying so), or one image per page. */
  pages?: PageChoice;
  /**
   * Only this page (0-based among the file's image pages; overrides `pages`): how a page that
   * was skipped as a duplicate is imported anyway.
   */
  page?: number;
  /** Check the content hash before building, and skip the page if the project has it already. */
  skipDuplicates?: boolean;
}

/** The choices a user makes about a file, whichever door it came through. */
export type ImportChoices = Pick<ImportRequest, 'pages' | 'page' | 'skipDuplicates'>;

export interface ImportDeps {
  store: ProjectStore;
  runner: JobRunner;
  imagesChanged: (imageId: number | null) => void;
  /** A level of the pyramid being built can be shown (images.levelReady). */
  levelReady: (imageId: number, level: number, levels: number) => void;
}

/** The import flow of the open project, announcing through `events`. */
export function importDepsOf(store: ProjectStore, runner: JobRunner, events: AppEvents): ImportDeps {
  return {
    store,
    runner,
    imagesChanged: (imageId) => events.emit('images.changed', { imageId }),
    levelReady: (imageId, level, levels) => events.emit('images.levelReady', { imageId, level, levels }),
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Says, on the image, which page of a multi-page file it is. */
export function pageNotice(pageOrdinal: number, imagePageCount: number, choice: PageChoice): string | null {
  if (imagePageCount <= 1) return null;
  if (choice === 'first')
    return `multi-page file: imported the first of its ${imagePageCount} pages only (import the file again and choose every page to get the others)`;
  return `multi-page file: page ${pageOrdinal + 1} of ${imagePageCount}`;
}

/** The name an image of a multi-page file gets, e.g. "stack.tif · page 2/5"; the file's name otherwise. */
export function pageName(file: string, pageOrdinal: number, imagePageCount: number): string {
  return imagePageCount > 1 ? `${file} · page ${pageOrdinal + 1}/${imagePageCount}` : file;
}

/** Imports a file: one outcome per imported page (one unless `pages` is 'each'). */
export async function importFile(deps: ImportDeps, request: ImportRequest): Promise<ImportPathOutcome[]> {
  const file = request.displayName ?? basename(request.path);
  const choice = request.pages ?? 'first';
  let first: TiffProbe;
  try {
    first = await probeTiff(request.path);
  } catch (err) {
    await discardCopyIfUnused(deps.store, request);
    return [{ ok: false, file, error: message(err) }];
  }
  const pages = first.imagePages.length > 0 ? first.imagePages : [0];
  if (request.page !== undefined && request.page >= pages.length) {
    await discardCopyIfUnused(deps.store, request);
    return [{ ok: false, file, error: `${file} has ${pages.length} page(s); page ${request.page + 1} does not exist` }];
  }
  // Ordinals (0-based among the image pages) of the pages to import.
  const chosen = request.page !== undefined ? [request.page] : choice === 'each' ? pages.map((_, k) => k) : [0];
  const noticeChoice: PageChoice = request.page !== undefined ? 'each' : choice;
  const outcomes: ImportPathOutcome[] = [];
  for (const ordinal of chosen) {
    const page = pages[ordinal] ?? 0;
    const name = pageName(file, ordinal, pages.length);
    let probe = first;
    try {
      if (page !== first.page) probe = await probeTiff(request.path, page);
    } catch (err) {
      outcomes.push({ ok: false, file: name, error: message(err) });
      continue;
    }
    outcomes.push(await importPage(deps, request, probe, name, ordinal, pageNotice(ordinal, pages.length, noticeChoice)));
  }
  await discardCopyIfUnused(deps.store, request);
  return outcomes;
}

/** The first page of a file, never skipped: MicraApp.importFile, for headless callers that want one image. */
export async function importImage(deps: ImportDeps, request: ImportRequest): Promise<ImportOutcome> {
  const [outcome] = await importFile(deps, { ...request, pages: 'first', skipDuplicates: false });
  return outcome ?? { ok: false, file: request.displayName ?? basename(request.path), error: 'nothing was imported' };
}

async function importPage(
  deps: ImportDeps,
  request: ImportRequest,
  probe: TiffProbe,
  file: string,
  pageOrdinal: number,
  notice: string | null,
): Promise<ImportPathOutcome> {
  const { store } = deps;
  const imageId = store.images.insertImporting({
    name: file,
    width: probe.width,
    height: probe.height,
    bitsPerSample: probe.storedBitsPerSample,
    channels: probe.storedChannels,
    tileSize: TILE_SIZE,
    levels: levelCount(probe.width, probe.height),
    pixelSizeNm: probe.pixelSizeNm,
    sourcePath: toStoredPath(store.dir, request.path),
    contentHash: null,
    notice,
  });
  store.images.setSourcePage(imageId, probe.page);
  deps.imagesChanged(imageId);

  try {
    const skipIfHashIn = request.skipDuplicates ? store.images.readyContentHashes() : [];
    const result = await runImportJob(deps, { imageId, sourcePath: request.path, page: probe.page, skipIfHashIn, probe });
    if (result.outcome === 'duplicate') {
      const existing = store.images.findByContentHash(result.contentHash);
      forget(deps, imageId);
      await removeImageTiles(store.dir, imageId);
      if (!existing) return { ok: false, file, error: 'the image these pixels duplicate was removed during the check: import the file again' };
      return { ok: false, file, error: `the same pixels are already in this project as image ${existing.id} ("${existing.name}"): skipped`, skippedDuplicateOf: existing.id, page: pageOrdinal };
    }
    if (result.outcome !== 'built') throw new Error(`the import job answered '${result.outcome}' instead of building`);
    const duplicate = store.images.findByContentHash(result.contentHash);
    markBuilt(deps, imageId, result);
    return { ok: true, file, image: summary(store, imageId), duplicateOf: duplicate && duplicate.id !== imageId ? duplicate.id : null };
  } catch (err) {
    // The project closed mid-import (app quitting): the row stays 'importing' and resumes next open.
    if (err instanceof ComputeHostDisposedError)
      return { ok: false, file, error: 'the project was closed before the import finished; it resumes when the project is opened again' };
    // Nothing half-imported stays behind: no row, no tiles.
    await removeImageTiles(store.dir, imageId);
    forget(deps, imageId);
    return { ok: false, file, error: message(err) };
  }
}

/**
 * At project open: an image left 'importing' by a crash has its import started again when its
 * source is still readable; otherwise it is marked failed with a notice saying why (the row
 * stays as the record; images.remove clears it). The restarted imports run one after another,
 * as user imports do; the promise settles when all have finished.
 */
export async function resumeInterruptedImports(deps: ImportDeps): Promise<void> {
  const { store } = deps;
  const resumable: { row: ImageRow; sourcePath: string }[] = [];
  for (const row of store.images.listByStatus('importing')) {
    const sourcePath = resolveStoredPathOrNull(store.dir, row.source_path);
    if (sourcePath !== null && (await access(sourcePath, fsConstants.R_OK).then(() => true, () => false))) {
      resumable.push({ row, sourcePath });
      continue;
    }
    await removeImageTiles(store.dir, row.id);
    const why = sourcePath === null ? `its source path (${row.source_path}) leads out of the project folder` : `its source file (${sourcePath}) can no longer be read`;
    markFailed(deps, row.id, `The import of "${row.name}" was interrupted, and ${why}. Remove this image and import the file again.`);
  }
  for (const { row, sourcePath } of resumable) {
    try {
      const result = await runImportJob(deps, { imageId: row.id, sourcePath, page: sourcePage(store, row.id), skipIfHashIn: [] });
      if (result.outcome !== 'built') throw new Error(`the import job answered '${result.outcome}' instead of building`);
      markBuilt(deps, row.id, result);
    } catch (err) {
      // Closed again before it finished: it stays 'importing' for the next open.
      if (err instanceof ComputeHostDisposedError) return;
      await removeImageTiles(store.dir, row.id);
      markFailed(deps, row.id, `The interrupted import of "${row.name}" could not be finished: ${message(err)}`);
    }
  }
}

/** Points an image at its original's new place, once that file is shown to hold the same pixels. */
export async function relinkImage(deps: ImportDeps, row: ImageRow, newPath: string): Promise<ImageSummary> {
  const { store } = deps;
  if (row.status !== 'ready' || row.content_hash === null)
    throw new DomainError('bad-request', `image ${row.id} ("${row.name}") is not fully imported, so there is nothing to re-link`);
  let probe: TiffProbe;
  try {
    probe = await probeTiff(newPath, sourcePage(store, row.id));
  } catch (err) {
    throw new DomainError('failed', message(err));
  }
  const name = basename(newPath);
  if (probe.width !== row.width || probe.height !== row.height)
    throw new DomainError('failed', `"${name}" is ${probe.width} × ${probe.height} pixels, but image ${row.id} ("${row.name}") is ${row.width} × ${row.height}: not the same image, not re-linked`);
  const result = await runImportJob(deps, { imageId: row.id, sourcePath: newPath, page: probe.page, hashOnly: true, probe }).catch((err: unknown) => {
    throw new DomainError('failed', message(err));
  });
  if (result.contentHash !== row.content_hash)
    throw new DomainError('failed', `"${name}" does not hold the same pixels as image ${row.id} ("${row.name}"): not re-linked`);
  store.images.setSourcePath(row.id, toStoredPath(store.dir, newPath));
  deps.imagesChanged(row.id);
  return summary(store, row.id);
}

/** Removes an image: its row (and by cascade its crops, suggestions, annotations), its tiles, its cached crop scores, and its uploaded copy. */
export async function removeImage(deps: ImportDeps, row: ImageRow): Promise<void> {
  if (row.status === 'importing')
    throw new DomainError('bad-request', `image ${row.id} ("${row.name}") is still importing: cancel its import job first`);
  forget(deps, row.id);
  await removeImageTiles(deps.store.dir, row.id);
  removeCropScores(deps.store.dir, (imageId) => imageId === row.id);
  // Only an uploaded copy inside sources/ is ever deleted; a stored path leading elsewhere is not.
  const copy = uploadedCopyPath(deps.store.dir, row.source_path);
  if (copy !== null) await discardCopyIfUnused(deps.store, { path: copy, ownedCopy: true });
}

export function renameImage(deps: ImportDeps, row: ImageRow, name: string): ImageSummary {
  deps.store.images.rename(row.id, name);
  deps.imagesChanged(row.id);
  return summary(deps.store, row.id);
}

export function setPixelSize(deps: ImportDeps, row: ImageRow, pixelSizeNm: number | null): ImageSummary {
  deps.store.images.setPixelSize(row.id, pixelSizeNm);
  deps.imagesChanged(row.id);
  return summary(deps.store, row.id);
}

type JobParams = Omit<ImportParams, 'projectDir'>;

async function runImportJob(deps: ImportDeps, params: JobParams): Promise<ImportJobResult> {
  const job = deps.runner.run(
    'import',
    { projectDir: deps.store.dir, ...params },
    {
      imageId: params.imageId,
      onNote: (note) => {
        if (note.kind === 'levelReady') deps.levelReady(params.imageId, note.level, note.levels);
      },
    },
  );
  return ImportJobResultSchema.parse(await job.result);
}

function markBuilt(deps: ImportDeps, imageId: number, result: Extract<ImportJobResult, { outcome: 'built' }>): void {
  const { store } = deps;
  store.transaction(() => {
    store.images.setContentHash(imageId, result.contentHash);
    // A pixel size the user typed in while the import ran wins over the file's.
    if (result.pixelSizeNm !== null && store.images.get(imageId)?.pixel_size_nm === null) store.images.setPixelSize(imageId, result.pixelSizeNm);
    store.images.markReady(imageId);
  });
  deps.imagesChanged(imageId);
}

function markFailed(deps: ImportDeps, imageId: number, notice: string): void {
  deps.store.images.markFailed(imageId, notice);
  deps.imagesChanged(imageId);
}

function forget(deps: ImportDeps, imageId: number): void {
  deps.store.images.remove(imageId);
  deps.imagesChanged(null);
}

function summary(store: ProjectStore, imageId: number): ImageSummary {
  const row = store.images.get(imageId);
  if (!row) throw new Error(`image ${imageId} vanished during import`);
  return store.imageSummary(row);
}

export function sourcePage(store: ProjectStore, imageId: number): number {
  return store.images.get(imageId)?.source_page ?? 0;
}

/** Removes an uploaded copy once no image (of any page) refers to it. */
async function discardCopyIfUnused(store: ProjectStore, request: Pick<ImportRequest, 'path' | 'ownedCopy'>): Promise<void> {
  // A project closed mid-import keeps its copy: the import resumes at the next open.
  if (!request.ownedCopy || !store.isOpen()) return;
  const stored = toStoredPath(store.dir, request.path);
  if (store.images.countBySourcePath(stored) === 0) await rm(request.path, { force: true });
}
