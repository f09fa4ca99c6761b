// The project's tile store on disk: tiles/<imageId>/<level>/<col>_<row>.raw plus
// tiles/<imageId>/thumbnail.png. A pyramid is built in tiles/<imageId>.partial/ and renamed when
// complete; while it is being built, each finished level gets a marker file <level>.done so the
// viewer can already show the coarse levels (first view) without ever seeing a half-written level.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readProjectFileNoFollow } from '../project/confinedPath';

const PARTIAL_SUFFIX = '.partial';

function checkId(imageId: number): void {
  if (!Number.isInteger(imageId) || imageId <= 0) throw new Error(`invalid image id: ${imageId}`);
}

export function tilesRoot(projectDir: string): string {
  return path.join(projectDir, 'tiles');
}

export function tileDir(projectDir: string, imageId: number): string {
  checkId(imageId);
  return path.join(tilesRoot(projectDir), String(imageId));
}

export function partialTileDir(projectDir: string, imageId: number): string {
  return tileDir(projectDir, imageId) + PARTIAL_SUFFIX;
}

export function tileRelativePath(level: number, col: number, row: number): string {
  return path.join(String(level), `${col}_${row}.raw`);
}

export function levelDoneMarker(pyramidDir: string, level: number): string {
  return path.join(pyramidDir, `${level}.done`);
}

/** Shape of a stored pyramid, written as pyramid.json next to its levels. */
export interface PyramidInfo {
  width: number;
  height: number;
  channels: 1 | 3;
  bitsPerSample: 8 | 16;
  levels: number;
  tileSize: number;
}

export const PYRAMID_INFO_FILE = 'pyramid.json';

/** The stored pyramid's shape (complete pyramid, else the one being built), or null. */
export async function readPyramidInfo(projectDir: string, imageId: number): Promise<PyramidInfo | null> {
  const bytes = await readFirstExisting(projectDir, () => {
    for (const dir of [tileDir(projectDir, imageId), partialTileDir(projectDir, imageId)]) {
      const p = path.join(dir, PYRAMID_INFO_FILE);
      if (existsSync(p)) return p;
    }
    return null;
  });
  return bytes ? (JSON.parse(bytes.toString('utf8')) as PyramidInfo) : null;
}

export function isPyramidComplete(projectDir: string, imageId: number): boolean {
  return existsSync(tileDir(projectDir, imageId));
}

/** Whether `level` can be shown: the pyramid is complete, or that level of the partial one is. */
export function isLevelReady(projectDir: string, imageId: number, level: number): boolean {
  return isPyramidComplete(projectDir, imageId) || existsSync(levelDoneMarker(partialTileDir(projectDir, imageId), level));
}

function validTileAddress(level: number, col: number, row: number): boolean {
  return [level, col, row].every((v) => Number.isInteger(v) && v >= 0);
}

/** Path of a tile that may be read now, or null (not on disk, or its level is still being built). */
export function resolveTilePath(projectDir: string, imageId: number, level: number, col: number, row: number): string | null {
  if (!validTileAddress(level, col, row)) return null;
  const rel = tileRelativePath(level, col, row);
  const final = path.join(tileDir(projectDir, imageId), rel);
  if (existsSync(final)) return final;
  const partial = partialTileDir(projectDir, imageId);
  if (existsSync(levelDoneMarker(partial, level))) {
    const p = path.join(partial, rel);
    if (existsSync(p)) return p;
  }
  // The partial dir may have been renamed to the final one between the two checks.
  return existsSync(final) ? final : null;
}

/**
 * Reads a file of the tile store, never through a symbolic link (a copied project is untrusted:
 * tiles/1/0/0_0.raw → /etc/passwd is refused with PathOutsideProjectError, not served).
 */
async function readFirstExisting(projectDir: string, resolve: () => string | null): Promise<Buffer | null> {
  // Two attempts: a path resolved inside the partial dir can move when the pyramid completes.
  for (let attempt = 0; attempt < 2; attempt++) {
    const p = resolve();
    if (p === null) return null;
    // Read synchronously: a tile (≤ 1.5 MB, 256 KB for 8-bit) comes from the page cache in
    // about 40 µs, while readFile makes four thread-pool round trips, each a wait for the event
    // loop. With both cores busy: median 0.04 against 0.4 ms, p95 5 against 10 ms; and a
    // viewer waits for every one of them.
    const bytes = readProjectFileNoFollow(projectDir, p);
    if (bytes !== null) return bytes;
  }
  return null;
}

/** The raw bytes of a tile (row-major, channels interleaved, 16-bit little-endian), or null. */
export function readTile(projectDir: string, imageId: number, level: number, col: number, row: number): Promise<Buffer | null> {
  return readFirstExisting(projectDir, () => resolveTilePath(projectDir, imageId, level, col, row));
}

export function readThumbnail(projectDir: string, imageId: number): Promise<Buffer | null> {
  return readFirstExisting(projectDir, () => {
    for (const dir of [tileDir(projectDir, imageId), partialTileDir(projectDir, imageId)]) {
      const p = path.join(dir, 'thumbnail.png');
      if (existsSync(p)) return p;
    }
    return null;
  });
}

export async function removeImageTiles(projectDir: string, imageId: number): Promise<void> {
  await rm(tileDir(projectDir, imageId), { recursive: true, force: true });
  await rm(partialTileDir(projectDir, imageId), { recursive: true, force: true });
}

/**
 * Startup cleanup: a pyramid still in .partial was interrupted (crash, kill) and is never shown
 * as complete; it is removed and its image must be imported again. Returns the affected ids.
 */
export function discardPartialPyramids(projectDir: string): number[] {
  const root = tilesRoot(projectDir);
  if (!existsSync(root)) return [];
  const discarded: number[] = [];
  for (const entry of readdirSync(root)) {
    if (!entry.endsWith(PARTIAL_SUFFIX)) continue;
    rmSync(path.join(root, entry), { recursive: true, force: true });
    const id = Number(entry.slice(0, -PARTIAL_SUFFIX.length));
    if (Number.isInteger(id) && id > 0) discarded.push(id);
  }
  return discarded.sort((a, b) => a - b);
}
