// Crop digests remembered between background preparation passes (issue 13). A pass must know
// each crop's content digest (featureKeys.ts) to know whether its features are stored, and the
// digest is a SHA-256 over the preprocessed pixels: without a memo every pass re-read and
// re-hashed every crop of the dataset, so its cost grew with the project even when one crop was
// new. The memo maps a crop's *source* (SampleSet.source: the image, the stat of the tiles the
// crop covers, the rectangle and the reader's settings, hashed) to the digest last computed from
// it, so a pass reads and hashes only crops whose source it has not met.
// Kept in the feature store (`cache/features/crop-digests/digests.json`), so the store's prune
// (featureStore.ts) also removes a killed write's stale .tmp. Untrusted on read like everything in
// a project: a regular file only, never through a link, bounded size, schema-checked, and a
// SHA-256 over its entries; anything else reads as an empty memo (and is replaced on save).
// A wrong digest cannot change what a run trains on: only the preparation uses the memo, and
// the training run always hashes the pixels it reads; a stale entry costs the retrain computing
// that crop's features itself.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { z } from 'zod';
import { openNoFollow } from '../../project/confinedPath';
import { FEATURE_TMP_SUFFIX, ownedSubdir } from './featureFiles';

export const CROP_DIGEST_MEMO_DIR = 'crop-digests';
export const CROP_DIGEST_MEMO_FILE = 'digests.json';
const MEMO_VERSION = 1;
/** Most recent entries kept (a few MB of JSON): far more crops than a project labels. */
export const MAX_MEMO_ENTRIES = 50_000;
/** Two 64-hex strings and JSON punctuation per entry, plus the header. */
const MAX_MEMO_BYTES = MAX_MEMO_ENTRIES * 140 + 1024;
const HEX64 = /^[0-9a-f]{64}$/;

const MemoFileSchema = z.object({
  version: z.literal(MEMO_VERSION),
  /** SHA-256 (hex) of JSON.stringify(entries). */
  checksum: z.string().regex(HEX64),
  /** [source, digest], least recently used first. */
  entries: z.array(z.tuple([z.string().regex(HEX64), z.string().regex(HEX64)])).max(MAX_MEMO_ENTRIES),
});

const checksumOf = (entries: ReadonlyArray<readonly [string, string]>) => createHash('sha256').update(JSON.stringify(entries)).digest('hex');

/** Why an existing memo file was not used (null: it was used, or there was none). */
export type MemoRejection = 'link' | 'not a file' | 'too large' | 'unreadable' | 'malformed' | 'checksum' | null;

export class CropDigestMemo {
  private readonly entries = new Map<string, string>();
  private changed = false;
  /** Why the file on disk was refused (it is then replaced on save). */
  readonly rejected: MemoRejection;

  private constructor(
    private readonly dir: string | null,
    loaded: { entries: ReadonlyArray<readonly [string, string]>; rejected: MemoRejection },
  ) {
    for (const [source, digest] of loaded.entries) this.entries.set(source, digest);
    this.rejected = loaded.rejected;
  }

  /** The memo of the feature store at `storeRoot` (an empty one that is never saved when its folder is unusable). */
  static open(storeRoot: string): CropDigestMemo {
    const dir = ownedSubdir(storeRoot, CROP_DIGEST_MEMO_DIR);
    if (dir === null) return new CropDigestMemo(null, { entries: [], rejected: 'not a file' });
    return new CropDigestMemo(dir, readMemo(path.join(dir, CROP_DIGEST_MEMO_FILE)));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The digest last computed from `source`, or undefined. */
  get(source: string): string | undefined {
    const digest = this.entries.get(source);
    if (digest !== undefined) this.touch(source, digest);
    return digest;
  }

  set(source: string, digest: string): void {
    if (!HEX64.test(source) || !HEX64.test(digest)) throw new Error('crop sources and digests are SHA-256 hex strings');
    this.touch(source, digest);
    while (this.entries.size > MAX_MEMO_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Writes the memo when it changed (temp file + rename); best effort: false when it could not be written. */
  save(): boolean {
    if (!this.changed || this.dir === null) return false;
    const entries = [...this.entries];
    const text = JSON.stringify({ version: MEMO_VERSION, checksum: checksumOf(entries), entries });
    const file = path.join(this.dir, CROP_DIGEST_MEMO_FILE);
    const tmp = path.join(this.dir, `${CROP_DIGEST_MEMO_FILE}.${process.pid}-${threadId}${FEATURE_TMP_SUFFIX}`);
    let fd: number | null = null;
    try {
      fs.rmSync(tmp, { force: true });
      // 'wx': exclusive creation, never through a planted link.
      fd = fs.openSync(tmp, 'wx', 0o644);
      fs.writeFileSync(fd, text);
      fs.closeSync(fd);
      fd = null;
      fs.renameSync(tmp, file);
      this.changed = false;
      return true;
    } catch {
      if (fd !== null) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      return false;
    }
  }

  /** Most recently used last, so the bound drops the oldest. */
  private touch(source: string, digest: string): void {
    this.entries.delete(source);
    this.entries.set(source, digest);
    this.changed = true;
  }
}

function readMemo(file: string): { entries: ReadonlyArray<readonly [string, string]>; rejected: MemoRejection } {
  const none = (rejected: MemoRejection) => ({ entries: [], rejected });
  let fd: number;
  try {
    fd = openNoFollow(file);
  } catch (err) {
    const code = (err as { code?: string } | null)?.code;
    return none(code === 'ENOENT' ? null : code === 'ELOOP' ? 'link' : 'unreadable');
  }
  let text: string;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return none('not a file');
    if (st.size > MAX_MEMO_BYTES) return none('too large');
    text = fs.readFileSync(fd, 'utf8');
  } catch {
    return none('unreadable');
  } finally {
    fs.closeSync(fd);
  }
  let parsed: z.infer<typeof MemoFileSchema>;
  try {
    const r = MemoFileSchema.safeParse(JSON.parse(text));
    if (!r.success) return none('malformed');
    parsed = r.data;
  } catch {
    return none('malformed');
  }
  if (checksumOf(parsed.entries) !== parsed.checksum) return none('checksum');
  return { entries: parsed.entries, rejected: null };
}
