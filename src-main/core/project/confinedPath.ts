// A project folder is copied between machines, so every path stored in it is untrusted input.
// A path that names something of the project (an uploaded copy in sources/, a model folder, a
// tile) must lead to a file inside the project folder: not through '..', not as an absolute path,
// and not through a symbolic link that points elsewhere. This module is where such a stored path
// becomes a file path, and where a project file is read without following a link out.
import fs from 'node:fs';
import path from 'node:path';

export class PathOutsideProjectError extends Error {
  constructor(stored: string, why: string) {
    super(`the project refers to "${stored}", which ${why}: refused (a project may only refer to files inside its folder)`);
    this.name = 'PathOutsideProjectError';
  }
}

/** Whether `candidate` lies strictly below `root` (both absolute and normalised). */
function isBelow(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

/**
 * The real location of `full`: the real path of its deepest existing part (links resolved) with
 * the parts that do not exist yet appended. A link that leads nowhere counts as outside.
 */
function realLocation(full: string): string | null {
  const missing: string[] = [];
  let probe = full;
  for (;;) {
    try {
      fs.lstatSync(probe);
      break;
    } catch (err) {
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw err;
      const parent = path.dirname(probe);
      if (parent === probe) return null;
      missing.unshift(path.basename(probe));
      probe = parent;
    }
  }
  try {
    return path.join(fs.realpathSync.native(probe), ...missing);
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ELOOP') return null;
    throw err;
  }
}

/**
 * The absolute path of `stored`, a path relative to the project folder (POSIX separators) that
 * must stay inside it — or inside its subfolder `within` (e.g. 'sources') — checked lexically and
 * then on disk (real paths compared, so a symbolic link anywhere along it may not lead out).
 * Throws PathOutsideProjectError otherwise.
 */
export function confinedProjectPath(projectDir: string, stored: string, within = ''): string {
  if (stored.length === 0 || stored.includes('\0')) throw new PathOutsideProjectError(stored, 'is not a file name');
  if (path.posix.isAbsolute(stored) || path.win32.isAbsolute(stored) || /^[A-Za-z]:/.test(stored))
    throw new PathOutsideProjectError(stored, 'is an absolute path');
  const root = path.resolve(projectDir);
  const full = path.resolve(root, ...stored.split('/'));
  const where = within === '' ? 'the project folder' : `the project's ${within} folder`;
  if (!isBelow(path.resolve(root, within), full)) throw new PathOutsideProjectError(stored, `leads out of ${where}`);
  const realRoot = path.join(fs.realpathSync.native(root), within);
  const real = realLocation(full);
  if (real === null || !isBelow(realRoot, real)) throw new PathOutsideProjectError(stored, `leads out of ${where} through a link`);
  return full;
}

/** confinedProjectPath, or null when the stored path is refused (for callers that only look). */
export function confinedProjectPathOrNull(projectDir: string, stored: string, within = ''): string | null {
  try {
    return confinedProjectPath(projectDir, stored, within);
  } catch (err) {
    if (err instanceof PathOutsideProjectError) return null;
    throw err;
  }
}

// O_NOFOLLOW is POSIX; where it is missing (Windows) an lstat check stands in for it.
// O_NONBLOCK: a FIFO planted in a project must not block the open (fstat then refuses it).
const OPEN_NO_FOLLOW = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Opens `file` for reading without following a link: a link fails with code ELOOP, a missing file
 * with ENOENT. The caller fstats the descriptor (a regular file?) and closes it. Every read of a
 * file the project holds that must not go through a planted link or FIFO opens it here.
 */
export function openNoFollow(file: string): number {
  if (fs.constants.O_NOFOLLOW === undefined && fs.lstatSync(file).isSymbolicLink()) throw Object.assign(new Error(`${file} is a symbolic link`), { code: 'ELOOP' });
  return fs.openSync(file, OPEN_NO_FOLLOW);
}

/**
 * The bytes of `file`, a path the app built inside the project (a tile, a thumbnail), or null when
 * it does not exist. Never through a link: the file itself is opened without following one
 * (ELOOP), must be a regular file, and the real path of its folder must lie inside the project.
 * Throws PathOutsideProjectError for a link or a folder outside. Synchronous on purpose: tiles
 * come from the page cache in tens of microseconds (see tileStore).
 */
export function readProjectFileNoFollow(projectDir: string, file: string): Buffer | null {
  const root = path.resolve(projectDir);
  const full = path.resolve(file);
  if (!isBelow(root, full)) throw new PathOutsideProjectError(file, 'lies outside the project folder');
  let fd: number;
  try {
    fd = openNoFollow(full);
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return null;
    if (code(err) === 'ELOOP') throw new PathOutsideProjectError(path.relative(root, full), 'is a symbolic link');
    throw err;
  }
  try {
    const realDir = fs.realpathSync.native(path.dirname(full));
    if (!isBelow(fs.realpathSync.native(root), realDir))
      throw new PathOutsideProjectError(path.relative(root, full), 'lies in a folder that links out of the project');
    if (!fs.fstatSync(fd).isFile()) throw new PathOutsideProjectError(path.relative(root, full), 'is not a regular file');
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Refuses to let the app write, append to or truncate `file` (a path it built inside the project)
 * when the file is a symbolic link or its folder's real path lies outside the project: a crafted
 * project could otherwise plant `sweeps/7.jsonl → ~/.bashrc` for the next run to append to.
 */
export function assertProjectWriteTarget(projectDir: string, file: string): void {
  const root = path.resolve(projectDir);
  const full = path.resolve(file);
  const shown = path.relative(root, full);
  if (!isBelow(root, full)) throw new PathOutsideProjectError(file, 'lies outside the project folder');
  try {
    if (fs.lstatSync(full).isSymbolicLink()) throw new PathOutsideProjectError(shown, 'is a symbolic link');
  } catch (err) {
    if (code(err) !== 'ENOENT') throw err;
  }
  const real = realLocation(path.dirname(full));
  if (real === null || !isBelow(fs.realpathSync.native(root), real)) throw new PathOutsideProjectError(shown, 'lies in a folder that links out of the project');
}

/**
 * Refuses a project folder holding a symbolic link that leads out of it (`tiles → /home/user`):
 * everything the app keeps lives in the folder's own entries, which it writes to and deletes in.
 */
export function assertNoLinkOut(projectDir: string): void {
  const root = fs.realpathSync.native(path.resolve(projectDir));
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const real = realLocation(path.join(root, entry.name));
    if (real === null || !isBelow(root, real)) throw new PathOutsideProjectError(entry.name, 'is a link out of the project folder');
  }
}
