// How many bytes an upload may have: no more than the project folder's disk has free, less a
// margin for the database and the pyramid, and no more than the configured cap
// (MICRA_MAX_UPLOAD_BYTES or the server option). A declared Content-Length over the limit is
// refused before a byte is stored; a chunked body is cut off by ByteLimit as it crosses it.
import { statfs } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';

/** Left free on the project's disk by any upload. */
export const UPLOAD_DISK_MARGIN_BYTES = 256 * 1024 * 1024;
export const MAX_UPLOAD_ENV = 'MICRA_MAX_UPLOAD_BYTES';

/** The cap MICRA_MAX_UPLOAD_BYTES sets (a whole number of bytes), null when unset. */
export function maxUploadFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  return positiveIntEnv(env, MAX_UPLOAD_ENV);
}

export function positiveIntEnv(env: NodeJS.ProcessEnv, name: string): number | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a whole number above 0, not "${raw}"`);
  return Number(raw);
}

/** Bytes an unprivileged process may still write on the disk holding `dir`. */
export async function freeDiskBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export interface UploadLimit {
  readonly bytes: number;
  /** Said in the 413 answer: what the upload was larger than. */
  readonly reason: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export async function uploadLimit(dir: string, cap: number | null, free: (dir: string) => Promise<number> = freeDiskBytes): Promise<UploadLimit> {
  const available = Math.max(0, (await free(dir)) - UPLOAD_DISK_MARGIN_BYTES);
  if (cap !== null && cap <= available) return { bytes: cap, reason: `the upload limit of ${megabytes(cap)}` };
  return {
    bytes: available,
    reason: `the free space of the project's disk (${megabytes(available)}, keeping ${megabytes(UPLOAD_DISK_MARGIN_BYTES)} spare)`,
  };
}

/** Whether a declared Content-Length is already over the limit. */
export function declaredTooLarge(contentLength: string | undefined, limit: UploadLimit): boolean {
  if (contentLength === undefined) return false;
  const n = Number(contentLength);
  return Number.isFinite(n) && n > limit.bytes;
}

export class UploadTooLarge extends Error {
  constructor(readonly limit: UploadLimit) {
    super(`the file is larger than ${limit.reason}`);
    this.name = 'UploadTooLarge';
  }
}

/** Passes bytes through until more than the limit have come, then fails with UploadTooLarge. */
export class ByteLimit extends Transform {
  private seen = 0;
  exceeded = false;

  constructor(private readonly limit: UploadLimit) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit.bytes) {
      this.exceeded = true;
      done(new UploadTooLarge(this.limit));
      return;
    }
    done(null, chunk);
  }
}
