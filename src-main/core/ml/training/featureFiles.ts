// The files of frozen features (featureCache.ts spills to them; featureStore.ts keeps them
// between runs): one file per (crop, dihedral variant), in a folder per feature namespace.
// Everything read back is untrusted (the folder is in the project, which is copied between
// machines, and a run may be killed mid-write), so a file is used only when it is a regular
// file (never through a link), has exactly the expected size, and carries this format's magic,
// the expected float count and the SHA-256 of (namespace, key, payload) — so a file renamed to
// another key or copied from another namespace is refused too. Anything else is deleted and
// reported as absent: the caller recomputes. Writes go to a temporary file that is renamed into
// place, so a killed process leaves a stray .tmp (pruned later), never a half-written entry.
// Synchronous I/O: this runs in the training thread, between steps.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { openNoFollow } from '../../project/confinedPath';

/** 'MFC1' read as a little-endian uint32. */
const MAGIC = 0x3143464d;
/** Magic (4 bytes), float count (uint32 LE), SHA-256 (32 bytes); the payload follows, 4-aligned. */
export const FEATURE_FILE_HEADER_BYTES = 40;
export const FEATURE_FILE_SUFFIX = '.mfc';
export const FEATURE_TMP_SUFFIX = '.tmp';

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

/**
 * `parent/name` as a real folder (created when missing), or null when something else is there
 * (a symbolic link, a file) or it cannot be created: the caller then does without it.
 */
export function ownedSubdir(parent: string, name: string): string | null {
  const dir = path.join(parent, name);
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if (code(err) !== 'EEXIST') return null;
  }
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && !st.isSymbolicLink() ? dir : null;
  } catch {
    return null;
  }
}

export class FeatureFileStore {
  private rejectedFiles = 0;
  private tmpCounter = 0;
  /** Keys whose file's time was set this run (once each: the LRU's "last use", featureStore.ts). */
  private readonly touched = new Set<string>();
  private readonly fileBytes: number;

  /**
   * @param dir the namespace's folder (made by ownedSubdir)
   * @param namespace bound into every checksum (featureStore.ts featureNamespaceId)
   * @param floats float32 values per entry (the feature shape's size)
   */
  constructor(
    readonly dir: string,
    private readonly namespace: string,
    private readonly floats: number,
  ) {
    this.fileBytes = FEATURE_FILE_HEADER_BYTES + floats * 4;
  }

  /** Files found invalid and deleted (each recomputed by the caller). */
  get rejected(): number {
    return this.rejectedFiles;
  }

  private file(key: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`feature key ${JSON.stringify(key)} is not a safe file name`);
    return path.join(this.dir, key + FEATURE_FILE_SUFFIX);
  }

  private checksum(key: string, payload: Uint8Array): Buffer {
    return createHash('sha256').update(`${this.namespace}\0${key}\0`).update(payload).digest();
  }

  /** A regular file of the right size is there (its content is checked by read). */
  has(key: string): boolean {
    try {
      const st = fs.lstatSync(this.file(key));
      return st.isFile() && st.size === this.fileBytes;
    } catch {
      return false;
    }
  }

  /** The entry's features, or null when absent or invalid (an invalid file is deleted). */
  read(key: string): Float32Array | null {
    const file = this.file(key);
    let fd: number;
    try {
      fd = openNoFollow(file);
    } catch (err) {
      // ELOOP: the name is a symbolic link.
      return code(err) === 'ENOENT' ? null : this.reject(file);
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size !== this.fileBytes) return this.reject(file);
      // A buffer of our own (offset 0), so the payload at byte 40 is 4-aligned for a Float32Array view.
      const bytes = new Uint8Array(this.fileBytes);
      let at = 0;
      while (at < bytes.length) {
        const n = fs.readSync(fd, bytes, at, bytes.length - at, at);
        if (n === 0) break;
        at += n;
      }
      const head = new DataView(bytes.buffer, 0, FEATURE_FILE_HEADER_BYTES);
      if (at !== bytes.length || head.getUint32(0, true) !== MAGIC || head.getUint32(4, true) !== this.floats) return this.reject(file);
      const payload = bytes.subarray(FEATURE_FILE_HEADER_BYTES);
      if (!this.checksum(key, payload).equals(bytes.subarray(8, FEATURE_FILE_HEADER_BYTES))) return this.reject(file);
      if (!this.touched.has(key)) {
        const now = new Date();
        fs.futimesSync(fd, now, now);
        this.touched.add(key);
      }
      return new Float32Array(bytes.buffer, FEATURE_FILE_HEADER_BYTES, this.floats);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Writes an entry (temp file + rename); false when it could not be written (the caller keeps it in memory). */
  write(key: string, data: Float32Array): boolean {
    if (data.length !== this.floats) throw new Error(`features of ${data.length} floats, expected ${this.floats}`);
    const file = this.file(key);
    const tmp = path.join(this.dir, `${key}.${process.pid}-${threadId}-${this.tmpCounter++}${FEATURE_TMP_SUFFIX}`);
    const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const head = Buffer.alloc(FEATURE_FILE_HEADER_BYTES);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(this.floats, 4);
    this.checksum(key, payload).copy(head, 8);
    let fd: number | null = null;
    try {
      // 'wx': exclusive creation, so an existing name (a planted link) is never written through.
      fd = openForWrite(this.dir, tmp);
      writeAll(fd, head);
      writeAll(fd, payload);
      fs.closeSync(fd);
      fd = null;
      // rename replaces a link at `file` by our file; it never writes through it.
      fs.renameSync(tmp, file);
      this.touched.add(key);
      return true;
    } catch {
      if (fd !== null) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }

  /** Removes the folder and everything in it (a run's own spill folder). */
  removeAll(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private reject(file: string): null {
    this.rejectedFiles++;
    try {
      // Removes a link itself, never its target.
      fs.unlinkSync(file);
    } catch {
      // A folder under that name, or already gone: the entry stays absent either way.
    }
    return null;
  }
}

/** Creates `tmp`; remakes the folder once if another run's prune removed it while it was empty. */
function openForWrite(dir: string, tmp: string): number {
  try {
    return fs.openSync(tmp, 'wx', 0o644);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw err;
    fs.mkdirSync(dir);
    return fs.openSync(tmp, 'wx', 0o644);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}
