// The crop digest memo (cropDigestMemo.ts) and crop sources (cropSource.ts): what one pass
// remembers the next reads back; every kind of bad file (flipped byte, truncated, foreign JSON,
// a link, a folder, too large) reads as an empty memo and is replaced on save without writing
// through a link; the bound drops the least recently used; a crop's source changes when a tile
// it covers is rewritten, with the reader's settings, and is null for a missing tile or a link.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cropSourceId } from '../../../src-main/core/ml/dataset/cropSource';
import { CROP_DIGEST_MEMO_DIR, CROP_DIGEST_MEMO_FILE, CropDigestMemo, MAX_MEMO_ENTRIES } from '../../../src-main/core/ml/training/cropDigestMemo';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-memo-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const memoFile = (store: string) => path.join(store, CROP_DIGEST_MEMO_DIR, CROP_DIGEST_MEMO_FILE);

/** A store whose memo holds three entries. */
function storeWithMemo(): string {
  const store = tmp();
  const memo = CropDigestMemo.open(store);
  for (const k of ['a', 'b', 'c']) memo.set(hex(`source ${k}`), hex(`digest ${k}`));
  expect(memo.save()).toBe(true);
  return store;
}

describe('crop digest memo', () => {
  it('reads back what was saved, and an absent file is an empty memo, not a rejection', () => {
    const empty = CropDigestMemo.open(tmp());
    expect(empty.size).toBe(0);
    expect(empty.rejected).toBeNull();
    const store = storeWithMemo();
    const again = CropDigestMemo.open(store);
    expect(again.rejected).toBeNull();
    expect(again.size).toBe(3);
    expect(again.get(hex('source b'))).toBe(hex('digest b'));
    expect(again.get(hex('source z'))).toBeUndefined();
  });

  it('refuses bad files as an empty memo and replaces them on save', () => {
    const cases: Array<[string, (file: string) => void, string]> = [
      ['one byte flipped', (f) => {
        const b = fs.readFileSync(f);
        // A digit inside the last entry's digest: still valid JSON and schema, only the checksum tells.
        const at = b.lastIndexOf(Buffer.from(hex('digest c'))) + 5;
        b[at] = b[at] === 0x30 ? 0x31 : 0x30;
        fs.writeFileSync(f, b);
      }, 'checksum'],
      ['truncated', (f) => fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 50)), 'malformed'],
      ['foreign JSON', (f) => fs.writeFileSync(f, JSON.stringify({ version: 1, checksum: hex('x'), entries: [['../../etc', 'x']] })), 'malformed'],
      ['a folder', (f) => {
        fs.rmSync(f);
        fs.mkdirSync(f);
      }, 'not a file'],
      ['too large', (f) => fs.writeFileSync(f, Buffer.alloc(MAX_MEMO_ENTRIES * 140 + 2048, 0x20)), 'too large'],
    ];
    for (const [what, spoil, reason] of cases) {
      const store = storeWithMemo();
      spoil(memoFile(store));
      const memo = CropDigestMemo.open(store);
      expect(memo.rejected, what).toBe(reason);
      expect(memo.size, what).toBe(0);
      if (reason === 'not a file') continue;
      memo.set(hex('new source'), hex('new digest'));
      expect(memo.save(), what).toBe(true);
      const reread = CropDigestMemo.open(store);
      expect(reread.rejected, what).toBeNull();
      expect(reread.get(hex('new source')), what).toBe(hex('new digest'));
    }
  });

  it('never reads or writes through a link', () => {
    const store = storeWithMemo();
    const elsewhere = path.join(tmp(), 'target.json');
    fs.copyFileSync(memoFile(store), elsewhere);
    const before = fs.readFileSync(elsewhere);
    fs.rmSync(memoFile(store));
    fs.symlinkSync(elsewhere, memoFile(store));
    const memo = CropDigestMemo.open(store);
    // A valid memo behind the link is not used.
    expect(memo.rejected).toBe('link');
    expect(memo.size).toBe(0);
    memo.set(hex('s'), hex('d'));
    expect(memo.save()).toBe(true);
    // The link was replaced by a file; its target is unchanged.
    expect(fs.lstatSync(memoFile(store)).isFile()).toBe(true);
    expect(fs.readFileSync(elsewhere)).toEqual(before);
  });

  it('a memo folder that is a link is not used at all', () => {
    const store = tmp();
    const target = tmp();
    fs.symlinkSync(target, path.join(store, CROP_DIGEST_MEMO_DIR));
    const memo = CropDigestMemo.open(store);
    memo.set(hex('s'), hex('d'));
    expect(memo.save()).toBe(false);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it('refuses entries that are not SHA-256 hex', () => {
    const memo = CropDigestMemo.open(tmp());
    expect(() => memo.set('../x', hex('d'))).toThrow(/SHA-256/);
  });

  it('keeps the most recently used entries within its bound', () => {
    const store = tmp();
    const memo = CropDigestMemo.open(store);
    for (let i = 0; i < MAX_MEMO_ENTRIES; i++) memo.set(hex(`s${i}`), hex(`d${i}`));
    // A read makes entry 0 the most recent: entry 1 is the oldest now.
    expect(memo.get(hex('s0'))).toBe(hex('d0'));
    memo.set(hex('one more'), hex('d'));
    expect(memo.size).toBe(MAX_MEMO_ENTRIES);
    expect(memo.save()).toBe(true);
    const reread = CropDigestMemo.open(store);
    expect(reread.rejected).toBeNull();
    expect(reread.get(hex('s0'))).toBe(hex('d0'));
    expect(reread.get(hex('s1'))).toBeUndefined();
    expect(reread.get(hex('s2'))).toBe(hex('d2'));
  });
});

describe('crop source', () => {
  const image = { id: 3, width: 300, height: 200, bitsPerSample: 8 as const, channels: 1 as const, tileSize: 128, levels: 2 };
  const reader = { size: 64, inChannels: 1, preprocessing: { invert: false, normalisation: { kind: 'none' as const } } };
  /** A project with every level-0 tile of `image` (3 × 2 tiles of 128²). */
  function project(): string {
    const dir = tmp();
    const level0 = path.join(dir, 'tiles', String(image.id), '0');
    fs.mkdirSync(level0, { recursive: true });
    for (let row = 0; row < 2; row++) for (let col = 0; col < 3; col++) fs.writeFileSync(path.join(level0, `${col}_${row}.raw`), Buffer.alloc(100, col + row));
    return dir;
  }

  it('is the same for the same tiles and settings, and changes with a rewritten tile, the rectangle or the reader', () => {
    const dir = project();
    // (100, 100) covers the four tiles (0..1, 0..1).
    const id = cropSourceId(dir, image, 100, 100, reader);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(cropSourceId(dir, image, 100, 100, reader)).toBe(id);
    expect(cropSourceId(dir, image, 101, 100, reader)).not.toBe(id);
    expect(cropSourceId(dir, image, 100, 100, { ...reader, preprocessing: { ...reader.preprocessing, invert: true } })).not.toBe(id);
    expect(cropSourceId(dir, image, 100, 100, { ...reader, inChannels: 3 })).not.toBe(id);
    // A tile outside the crop changes nothing; one under it (same size, same bytes) does.
    const outside = cropSourceId(dir, image, 0, 0, reader);
    fs.writeFileSync(path.join(dir, 'tiles', '3', '0', '2_1.raw'), Buffer.alloc(100, 9));
    expect(cropSourceId(dir, image, 0, 0, reader)).toBe(outside);
    const tile = path.join(dir, 'tiles', '3', '0', '1_1.raw');
    const bytes = fs.readFileSync(tile);
    fs.rmSync(tile);
    fs.writeFileSync(tile, bytes);
    expect(cropSourceId(dir, image, 100, 100, reader)).not.toBe(id);
  });

  it('is null when a tile it covers is missing or a link', () => {
    const dir = project();
    fs.rmSync(path.join(dir, 'tiles', '3', '0', '1_0.raw'));
    expect(cropSourceId(dir, image, 100, 0, reader)).toBeNull();
    fs.symlinkSync(path.join(dir, 'tiles', '3', '0', '0_0.raw'), path.join(dir, 'tiles', '3', '0', '1_0.raw'));
    expect(cropSourceId(dir, image, 100, 0, reader)).toBeNull();
    expect(cropSourceId(dir, image, 0, 128, reader)).not.toBeNull();
  });
});
