// What the annotation and evaluation commands share: the actor recorded for what they write,
// and a project opened for the length of one command.
import os from 'node:os';
import { openProjectStore, type ProjectStore } from '../../core/project/projectStore';
import { UsageError } from '../argv';
import { resolveUserPath } from '../../core/project/userPath';

/** Who is recorded for the import or the labels: --actor, else the user logged in. */
export function actorOf(value: string | undefined): string {
  if (value !== undefined) {
    if (value.trim() === '' || value.length > 200) throw new UsageError('--actor must have 1 to 200 characters');
    return value;
  }
  try {
    return os.userInfo().username || 'expert';
  } catch {
    return 'expert';
  }
}

/** Opens an existing project, runs `fn`, closes the project. */
export async function withProject<T>(dir: string, fn: (store: ProjectStore) => T | Promise<T>): Promise<T> {
  const store = openProjectStore(resolveUserPath(dir), { create: false });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
