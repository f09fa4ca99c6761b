// Strip and tile offsets that make no sense are refused before anything is decoded: pixels that
// would be the file's header or directories, or strips sharing bytes, never import as `ready`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { ImageImportError } from '../../../src-main/core/imaging/importError';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { pattern8 } from '../../generators/tiff/tiffVariants';
import { encodeTestTiff, type TestPage } from '../../generators/tiff/tiffWriter';
import { ask, realApp } from '../app/appTestKit';
import { tempDir } from './importTestKit';

const tmp = tempDir('micra-offsets-');
afterAll(() => tmp.cleanup());
let app: MicraApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

// 64 × 48, 8-bit, three strips of 16 rows (1024 bytes each) at bytes 8, 1032 and 2056; the
// directory follows the pixels, at byte 3080.
const STRIP = 1024;
const FIRST_IFD = 8 + 3 * STRIP;
function striped(overrideTags: TestPage['overrideTags']): TestPage {
  return { width: 64, height: 48, channels: 1, bits: 8, samples: pattern8(64, 48, 1), rowsPerStrip: 16, overrideTags };
}

let files = 0;
function file(bytes: Buffer): string {
  const p = path.join(tmp.dir, `case-${++files}.tif`);
  writeFileSync(p, bytes);
  return p;
}

async function refusal(page: TestPage): Promise<ImageImportError> {
  const err = await probeTiff(file(encodeTestTiff([page]))).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImageImportError);
  expect((err as ImageImportError).code).toBe('bad-offsets');
  return err as ImageImportError;
}

describe('strip and tile offsets', () => {
  it('refuses a file whose every StripOffset is 0 (its pixels would be the header)', async () => {
    expect((await refusal(striped({ 273: [0, 0, 0] }))).message).toMatch(/strip 1 of 3 lies at bytes 0–1024, inside the TIFF header/);
  });

  it('refuses a strip that points into the image directory', async () => {
    const err = await refusal(striped({ 273: [8, 8 + STRIP, FIRST_IFD], 279: [STRIP, STRIP, 100] }));
    expect(err.message).toMatch(/strip 3 of 3 lies at bytes 3080–3180, inside image directory 1/);
  });

  it('refuses a strip that points into the values of a tag', async () => {
    // The StripOffsets array itself (3 LONGs) lies out of line, after the directory.
    const bytes = encodeTestTiff([striped(undefined)]);
    const ifdCount = bytes.readUInt16LE(FIRST_IFD);
    const valuesAt = FIRST_IFD + 2 + ifdCount * 12 + 4;
    const err = await refusal(striped({ 273: [8, 8 + STRIP, valuesAt], 279: [STRIP, STRIP, 12] }));
    expect(err.message).toMatch(/strip 3 of 3 .* inside the values of tag 27[39]/);
  });

  it('refuses strips that repeat or overlap one another', async () => {
    expect((await refusal(striped({ 273: [8, 8, 8] }))).message).toMatch(/strip 1 of 3 and strip 2 of 3 point at the same bytes \(bytes 8–1032\)/);
    expect((await refusal(striped({ 273: [8, 500, 8 + 2 * STRIP] }))).message).toMatch(/strip 1 of 3 and strip 2 of 3 overlap/);
  });

  it('still accepts sound layouts: tiles that share one copy of identical bytes, empty blocks', async () => {
    const flat = new Uint8Array(64 * 64).fill(77);
    const sharedTiles = encodeTestTiff([{ width: 64, height: 64, channels: 1, bits: 8, samples: flat, tile: { width: 32, height: 32 } }]);
    const tileOffsetsAt = sharedTiles.indexOf(Buffer.from([8, 0, 0, 0, 8, 4, 0, 0])); // tiles at 8 and 8 + 1024
    expect(tileOffsetsAt).toBeGreaterThan(0);
    for (let k = 0; k < 4; k++) sharedTiles.writeUInt32LE(8, tileOffsetsAt + 4 * k);
    const probe = await probeTiff(file(sharedTiles));
    expect(probe.blockOffsets).toEqual([8, 8, 8, 8]);
    expect((await probeTiff(file(encodeTestTiff([striped(undefined)])))).blockOffsets).toEqual([8, 8 + STRIP, 8 + 2 * STRIP]);
  });

  it('an import of such a file ends with no image, never a ready one', async () => {
    app = realApp();
    await app.openProject(path.join(tmp.dir, 'project'), true);
    const garbage = file(encodeTestTiff([striped({ 273: [0, 0, 0] })]));
    const [outcome] = await ask(app, 'images.importPaths', { paths: [garbage] });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/inside the TIFF header/) });
    expect(await ask(app, 'images.list', {})).toEqual([]);
  });
});
