// The paths main has handed out in Electron, each for one purpose. A path reaches main's
// registry only from a native dialog main showed or from a file dropped on the window; a
// path-taking request naming anything else is refused (pathGate.ts), so a script running in
// the page cannot open, read or write files the user did not pick.
import { resolve } from 'node:path';
import type { PathPurpose } from '../api/pathPurpose';

/** Project folders are remembered across launches (the app reopens the last one): a bounded list. */
export const MAX_REMEMBERED_PROJECTS = 50;

export class GrantedPaths {
  private readonly granted = new Map<PathPurpose, string[]>();

  /** Grants `path` for `purpose`; the newest grant is listed last. */
  grant(purpose: PathPurpose, path: string): void {
    const key = resolve(path);
    const list = (this.granted.get(purpose) ?? []).filter((p) => p !== key);
    list.push(key);
    if (purpose === 'project' && list.length > MAX_REMEMBERED_PROJECTS) list.splice(0, list.length - MAX_REMEMBERED_PROJECTS);
    this.granted.set(purpose, list);
  }

  /** Whether main handed out this path for this purpose (`a/b/` and `a/b` are the same path). */
  isGranted(purpose: PathPurpose, path: string): boolean {
    if (path.length === 0 || path.includes('\0')) return false;
    return (this.granted.get(purpose) ?? []).includes(resolve(path));
  }

  /** The paths granted for `purpose`, oldest first. */
  list(purpose: PathPurpose): readonly string[] {
    return this.granted.get(purpose) ?? [];
  }
}
