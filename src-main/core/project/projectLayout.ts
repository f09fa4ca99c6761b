// Where things live inside a project folder. Paths stored in the database are relative to the
// project folder (POSIX separators), so a project can be moved or copied to another machine.
import path from 'node:path';

export const PROJECT_DB_FILE = 'project.sqlite';
export const TILES_DIR = 'tiles';
export const SOURCES_DIR = 'sources';
export const MODELS_DIR = 'models';
export const TILE_SIZE = 512;

export function projectDbPath(projectDir: string): string {
  return path.join(projectDir, PROJECT_DB_FILE);
}

/** The finished pyramid of an image: `tiles/<imageId>/`. */
export function imageTilesDir(projectDir: string, imageId: number): string {
  return path.join(projectDir, TILES_DIR, String(imageId));
}

/** Where a pyramid is built before it is renamed into place, so a half-built one is never seen. */
export function imagePartialTilesDir(projectDir: string, imageId: number): string {
  return path.join(projectDir, TILES_DIR, `${imageId}.partial`);
}

export function tilePath(projectDir: string, imageId: number, level: number, col: number, row: number): string {
  return path.join(imageTilesDir(projectDir, imageId), String(level), `${col}_${row}.raw`);
}

export function thumbnailPath(projectDir: string, imageId: number): string {
  return path.join(imageTilesDir(projectDir, imageId), 'thumbnail.png');
}

/**
 * The form in which a path is stored: relative (POSIX) when it lies inside the project,
 * otherwise exactly as given (an original outside the project, e.g. on a lab share).
 */
export function toStoredPath(projectDir: string, filePath: string): string {
  if (!path.isAbsolute(filePath)) return filePath;
  const rel = path.relative(path.resolve(projectDir), path.resolve(filePath));
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return inside ? rel.split(path.sep).join('/') : filePath;
}

/** The absolute path of a stored path (relative ones are relative to the project folder). */
export function resolveStoredPath(projectDir: string, stored: string): string {
  return path.isAbsolute(stored) ? stored : path.resolve(projectDir, ...stored.split('/'));
}

/** Number of pyramid levels: halve until both dimensions fit in one tile. */
export function pyramidLevelCount(width: number, height: number, tileSize = TILE_SIZE): number {
  const largest = Math.max(width, height);
  return 1 + Math.max(0, Math.ceil(Math.log2(largest / tileSize)));
}

/** Size of level L: ceil(w / 2^L) × ceil(h / 2^L). */
export function pyramidLevelSizes(width: number, height: number, levels: number): Array<[number, number]> {
  const sizes: Array<[number, number]> = [];
  for (let level = 0; level < levels; level++) {
    const scale = 2 ** level;
    sizes.push([Math.ceil(width / scale), Math.ceil(height / scale)]);
  }
  return sizes;
}
