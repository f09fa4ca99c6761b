// Receives the bytes of a file dropped in the browser (serve mode) into the project's
// sources/ folder. Written under a temporary name and renamed when complete, so a broken
// upload never looks like a source file; removed on any failure.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Keeps a recognisable, safe file name: no separators, no leading dots, bounded length. */
export function safeFileName(name: string): string {
  const base = basename(name.replaceAll('\\', '/'));
  const cleaned = base.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '').slice(-120).trim();
  return cleaned.length > 0 ? cleaned : 'upload.tif';
}

async function unusedPath(dir: string, name: string): Promise<string> {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 0; ; n++) {
    const candidate = join(dir, n === 0 ? name : `${stem} (${n})${ext}`);
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

export async function storeUpload(sourcesDir: string, originalName: string, body: Readable): Promise<string> {
  await mkdir(sourcesDir, { recursive: true });
  const temp = join(sourcesDir, `.upload-${randomBytes(6).toString('hex')}`);
  try {
    await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
    const target = await unusedPath(sourcesDir, safeFileName(originalName));
    await rename(temp, target);
    return target;
  } catch (err) {
    await rm(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new Error('the disk is full: the upload could not be stored', { cause: err });
    throw err;
  }
}
