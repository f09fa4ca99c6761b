// Content hashes of a job folder's inputs. A task checks them before it sweeps, so a tile or a
// weight file changed (or cut short by a copy) after planning fails the task with a clear
// message instead of producing suggestions from other pixels or another model.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export async function fileSha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/**
 * One hash over a folder tree: each regular file's path (relative, POSIX) and bytes, in sorted
 * order. A file added, removed, renamed or changed changes it; a link or other special file
 * is refused (a job folder must not lead elsewhere).
 */
export async function treeSha256(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) files.push(child);
      else throw new Error(`${path.join(dir, child)} is not a regular file or folder`);
    }
  };
  await walk('');
  files.sort();
  const hash = createHash('sha256');
  for (const f of files) {
    const bytes = await readFile(path.join(dir, ...f.split('/')));
    hash.update(`${f}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}
