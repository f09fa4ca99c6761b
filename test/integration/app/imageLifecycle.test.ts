// The image channels end to end through MicraApp and a real compute process: multi-page choice,
// duplicates (flagged, or skipped before building), remove, re-link, pixel size.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { readRegion } from '../../../src-main/core/imaging/regionReader';
import { writeTestTiff, encodeTestTiff } from '../../generators/tiff/tiffWriter';
import { ask, ramp, realApp, request, tempDir, tileStoreIds } from './appTestKit';

const tmp = tempDir('micra-app-images-');
const projectDir = path.join(tmp.dir, 'project');
let app: MicraApp;
const [W, H] = [300, 200];

function gray(file: string, samples: Uint8Array, compression: 'none' | 'lzw' = 'none', width = W, height = H): string {
  const full = path.join(tmp.dir, file);
  writeTestTiff(full, [{ width, height, channels: 1, bits: 8, samples, rowsPerStrip: 16, compression }]);
  return full;
}

async function level0(id: number, width = W, height = H): Promise<number[]> {
  const raster = await readRegion(projectDir, { id, width, height, bitsPerSample: 8, channels: 1, tileSize: 512 }, 0, { x: 0, y: 0, width, height });
  return [...raster.data];
}

beforeAll(async () => {
  app = realApp();
  await app.openProject(projectDir, true);
});
afterAll(async () => {
  await app?.close();
  tmp.cleanup();
});

describe('multi-page files', () => {
  const pages = [ramp(W, H), ramp(W, H, true), ramp(W, H).map((v) => v >> 1)];
  let file = '';
  beforeAll(() => {
    file = path.join(tmp.dir, 'stack.tif');
    writeTestTiff(file, pages.map((samples) => ({ width: W, height: H, channels: 1 as const, bits: 8 as const, samples, rowsPerStrip: 32 })));
  });

  it('imports each page as its own image, saying which page it is', async () => {
    const outcomes = await ask(app, 'images.importPaths', { paths: [file], pages: 'each' });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    for (const [k, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw new Error(outcome.error);
      expect(outcome.image.name).toBe(`stack.tif · page ${k + 1}/3`);
      expect(outcome.image.notice).toBe(`multi-page file: page ${k + 1} of 3`);
      expect(outcome.image.status).toBe('ready');
      expect(await level0(outcome.image.id)).toEqual([...pages[k]!]);
    }
  });

  it('imports the first page only by default, with a notice that says so', async () => {
    const [outcome] = await ask(app, 'images.importPaths', { paths: [file] });
    if (!outcome?.ok) throw new Error('import failed');
    expect(outcome.image.name).toBe('stack.tif · page 1/3');
    expect(outcome.image.notice).toMatch(/first of its 3 pages only/);
    expect(await level0(outcome.image.id)).toEqual([...pages[0]!]);
  });

  it('skips duplicate pages saying which page, and imports one page anyway when asked', async () => {
    const skipped = await ask(app, 'images.importPaths', { paths: [file], pages: 'each', skipDuplicates: true });
    expect(skipped.map((o) => ('skippedDuplicateOf' in o ? o.page : null))).toEqual([0, 1, 2]);
    const [again] = await ask(app, 'images.importPaths', { paths: [file], page: 1 });
    if (!again?.ok) throw new Error('import failed');
    expect(again.image.name).toBe('stack.tif · page 2/3');
    expect(again.image.notice).toBe('multi-page file: page 2 of 3');
    expect(await level0(again.image.id)).toEqual([...pages[1]!]);
    const [beyond] = await ask(app, 'images.importPaths', { paths: [file], page: 3 });
    expect(beyond?.ok === false && beyond.error).toMatch(/has 3 page\(s\); page 4 does not exist/);
  });
});

describe('duplicates', () => {
  const pixels = ramp(W, H).map((v) => v ^ 0x5a);
  let original = 0;

  it('flags a re-encoded copy of the same pixels, and images.remove undoes it', async () => {
    const [first] = await ask(app, 'images.importPaths', { paths: [gray('dup.tif', pixels)] });
    if (!first?.ok) throw new Error('import failed');
    original = first.image.id;
    expect(first.duplicateOf).toBeNull();
    const lzw = gray('dup-lzw.tif', pixels, 'lzw');
    const [copy] = await ask(app, 'images.importPaths', { paths: [lzw] });
    if (!copy?.ok) throw new Error('import failed');
    expect(copy.duplicateOf).toBe(original);
    expect(tileStoreIds(projectDir)).toContain(String(copy.image.id));

    expect(await ask(app, 'images.remove', { id: copy.image.id })).toEqual({ removed: copy.image.id });
    expect((await ask(app, 'images.list', {})).map((i) => i.id)).not.toContain(copy.image.id);
    expect(tileStoreIds(projectDir)).not.toContain(String(copy.image.id));
    expect(existsSync(lzw)).toBe(true); // the user's own file is never deleted
    const gone = await request(app, 'images.get', { id: copy.image.id });
    expect(gone.ok ? null : gone.error.code).toBe('not-found');
  });

  it('skips it before building anything when asked to', async () => {
    const before = tileStoreIds(projectDir);
    const count = (await ask(app, 'images.list', {})).length;
    const [skipped] = await ask(app, 'images.importPaths', { paths: [gray('dup-again.tif', pixels, 'lzw')], skipDuplicates: true });
    expect(skipped).toMatchObject({ ok: false, file: 'dup-again.tif', skippedDuplicateOf: original });
    expect(skipped?.ok === false && skipped.error).toMatch(/already in this project as image \d+ \("dup.tif"\): skipped/);
    expect(await ask(app, 'images.list', {})).toHaveLength(count);
    expect(tileStoreIds(projectDir)).toEqual(before);
    // New pixels are not skipped, and the pyramid built after the early hash is whole (held
    // bands for LZW, the file read again for uncompressed).
    for (const compression of ['lzw', 'none'] as const) {
      const pixels = ramp(W, H, true).map((v) => v ^ (compression === 'lzw' ? 1 : 2));
      const [fresh] = await ask(app, 'images.importPaths', { paths: [gray(`fresh-${compression}.tif`, pixels, compression)], skipDuplicates: true });
      if (!fresh?.ok) throw new Error('import failed');
      expect(fresh.duplicateOf).toBeNull();
      expect(await level0(fresh.image.id)).toEqual([...pixels]);
    }
  });

  it('removes an uploaded copy with its image, but not while another page still uses it', async () => {
    const bytes = encodeTestTiff([0, 1].map((k) => ({ width: W, height: H, channels: 1 as const, bits: 8 as const, samples: ramp(W, H).map((v) => (v + 7 * k + 3) & 255), rowsPerStrip: 64 })));
    const [outcome] = await app.importUpload('upload.tif', Readable.from([bytes]));
    if (!outcome?.ok) throw new Error(outcome?.error);
    const stored = path.join(projectDir, outcome.image.sourcePath);
    expect(outcome.image.sourcePath).toBe('sources/upload.tif');
    expect(existsSync(stored)).toBe(true);
    // The second page of the same upload, imported from its stored copy.
    const [second] = await ask(app, 'images.importPaths', { paths: [stored], pages: 'each' });
    if (!second?.ok) throw new Error('import failed');
    await ask(app, 'images.remove', { id: outcome.image.id });
    expect(existsSync(stored)).toBe(true);
  });
});

describe('re-linking a moved original', () => {
  it('accepts only a file with the same pixels, then no longer reports the source missing', async () => {
    const pixels = ramp(W, H).map((v) => (v * 7) & 255);
    const file = gray('tolink.tif', pixels);
    const [outcome] = await ask(app, 'images.importPaths', { paths: [file] });
    if (!outcome?.ok) throw new Error('import failed');
    const id = outcome.image.id;
    mkdirSync(path.join(tmp.dir, 'moved'));
    const moved = path.join(tmp.dir, 'moved', 'tolink.tif');
    renameSync(file, moved);
    expect((await ask(app, 'images.get', { id })).sourceMissing).toBe(true);

    const other = await request(app, 'images.relink', { id, path: gray('other.tif', pixels.map((v) => v ^ 1)) });
    expect(other.ok ? null : other.error.message).toMatch(/does not hold the same pixels as image \d+ \("tolink.tif"\): not re-linked/);
    const smaller = await request(app, 'images.relink', { id, path: gray('small.tif', pixels.subarray(0, W * 100), 'none', W, 100) });
    expect(smaller.ok ? null : smaller.error.message).toMatch(/is 300 × 100 pixels, but image \d+ \("tolink.tif"\) is 300 × 200/);
    expect((await ask(app, 'images.get', { id })).sourceMissing).toBe(true);

    const relinked = await ask(app, 'images.relink', { id, path: moved });
    expect(relinked).toMatchObject({ id, sourcePath: moved, sourceMissing: false });
    // Same pixels in another encoding are the same content.
    const lzw = gray('tolink-lzw.tif', pixels, 'lzw');
    expect(await ask(app, 'images.relink', { id, path: lzw })).toMatchObject({ sourcePath: lzw, sourceMissing: false });
  });
});

describe('pixel size', () => {
  it('is editable and can be cleared', async () => {
    const [outcome] = await ask(app, 'images.importPaths', { paths: [gray('px.tif', ramp(W, H).map((v) => v ^ 3))] });
    if (!outcome?.ok) throw new Error('import failed');
    const id = outcome.image.id;
    expect(outcome.image.pixelSizeNm).toBeNull();
    expect((await ask(app, 'images.setPixelSize', { id, pixelSizeNm: 3.5 })).pixelSizeNm).toBe(3.5);
    expect((await ask(app, 'images.get', { id })).pixelSizeNm).toBe(3.5);
    expect((await ask(app, 'images.setPixelSize', { id, pixelSizeNm: null })).pixelSizeNm).toBeNull();
    const bad = await request(app, 'images.setPixelSize', { id, pixelSizeNm: -2 });
    expect(bad.ok ? null : bad.error.code).toBe('bad-request');
    const missing = await request(app, 'images.setPixelSize', { id: 99_999, pixelSizeNm: 1 });
    expect(missing.ok ? null : missing.error.code).toBe('not-found');
  });
});
