// Where things live inside a project folder. Paths stored in the database are relative to the
// project folder (POSIX separators), so a project can be moved or copied to another machine.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { confinedProjectPath, confinedProjectPathOrNull } from './confinedPath';

export const PROJECT_DB_FILE = 'project.sqlite';
export const TILES_DIR = 'tiles';
export const SOURCES_DIR = 'sources';
export const MODELS_DIR = 'models';

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

/**
 * The absolute path of a stored path: the one place a path read from the database becomes a file
 * path. A relative one must stay inside the project folder (confinedProjectPath: no '..' out, no
 * link out; PathOutsideProjectError otherwise). An absolute one names an original outside the
 * project (a lab share, the bundled model), which the app only reads and never deletes or writes.
 */
export function resolveStoredPath(projectDir: string, stored: string): string {
  return path.isAbsolute(stored) ? stored : confinedProjectPath(projectDir, stored);
}

/** resolveStoredPath, or null when the stored path is refused (for callers that only look). */
export function resolveStoredPathOrNull(projectDir: string, stored: string): string | null {
  return path.isAbsolute(stored) ? stored : confinedProjectPathOrNull(projectDir, stored);
}

/**
 * The file of an uploaded copy (stored as sources/NAME), which the app may delete, or null when
 * the stored path is not one: an original elsewhere, or a path that leaves sources/.
 */
export function uploadedCopyPath(projectDir: string, stored: string): string | null {
  if (!stored.startsWith(`${SOURCES_DIR}/`)) return null;
  return confinedProjectPathOrNull(projectDir, stored, SOURCES_DIR);
}

/**
 * The folder for the next model, relative to the project: `models/<n>`, n the id the model will
 * get, or past it while that folder exists (left by a model whose row is gone), so a new model
 * never writes into an old one's files.
 */
export function nextModelDir(projectDir: string, nextModelId: number): string {
  let n = nextModelId;
  while (existsSync(path.join(projectDir, MODELS_DIR, String(n)))) n++;
  return `${MODELS_DIR}/${n}`;
}
