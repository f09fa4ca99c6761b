// Bad input: each case fails with its specific code and message, quickly, and leaves nothing in
// the tile store.
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import { ImageImportError } from '../../../src-main/core/imaging/importError';
import { createImportJobHandler, importJobHandler } from '../../../src-main/core/imaging/importJob';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { pattern8 } from '../../generators/tiff/tiffVariants';
import { encodeTestTiff, type TestPage } from '../../generators/tiff/tiffWriter';
import { jobContext, listTree, tempDir } from './importTestKit';

const tmp = tempDir('micra-bad-');
afterAll(() => tmp.cleanup());
let nextId = 1;

function small(overrides: Partial<TestPage> = {}): TestPage {
  return { width: 64, height: 48, channels: 1, bits: 8, samples: pattern8(64, 48, 1), rowsPerStrip: 16, ...overrides };
}

async function expectImportFailure(bytes: Buffer | string, code: string, message: RegExp): Promise<void> {
  const file = path.join(tmp.dir, `bad-${nextId}.tif`);
  writeFileSync(file, bytes);
  const projectDir = path.join(tmp.dir, `project-${nextId}`);
  const imageId = nextId++;
  const err = await importJobHandler.run({ projectDir, imageId, sourcePath: file }, jobContext()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImageImportError);
  expect((err as ImageImportError).code).toBe(code);
  expect((err as ImageImportError).message).toMatch(message);
  expect(existsSync(path.join(projectDir, 'tiles')) ? listTree(path.join(projectDir, 'tiles')) : []).toEqual([]);
}

describe('bad input', () => {
  it('empty file', () => expectImportFailure(Buffer.alloc(0), 'empty-file', /is empty/));
  it('not a TIFF', () => expectImportFailure('hello, this is a text file', 'not-tiff', /not a TIFF file/));
  it('missing file', async () => {
    const err = await probeTiff(path.join(tmp.dir, 'nope.tif')).catch((e: unknown) => e);
    expect((err as ImageImportError).code).toBe('source-missing');
  });
  it('truncated file (directory cut off)', () => {
    const full = encodeTestTiff([small()]);
    return expectImportFailure(full.subarray(0, full.length - 40), 'truncated', /truncated/);
  });
  it('strip offsets beyond the end of the file', () =>
    expectImportFailure(encodeTestTiff([small({ overrideTags: { 273: [8, 1032, 1_000_000] } })]), 'truncated', /strip 3 of 3 ends at byte/));
  it('strip offsets missing', () =>
    expectImportFailure(encodeTestTiff([small({ overrideTags: { 273: [8] } })]), 'bad-offsets', /needs 3 strip offsets/));
  it('zero width', () => expectImportFailure(encodeTestTiff([small({ overrideTags: { 256: [0] } })]), 'bad-dimensions', /0 × 48/));
  it('10⁶ × 10⁶ declared in a 1 KB file', async () => {
    const bytes = encodeTestTiff([small({ width: 8, height: 8, samples: new Uint8Array(64), rowsPerStrip: 8, overrideTags: { 256: [1e6], 257: [1e6] } })]);
    expect(bytes.length).toBeLessThan(1024);
    await expectImportFailure(bytes, 'too-large', /1000000 × 1000000/);
  });
  it('100,000² declared over a few bytes of LZW data', () =>
    expectImportFailure(
      encodeTestTiff([small({ compression: 'lzw', rowsPerStrip: 48, overrideTags: { 256: [100_000], 257: [100_000], 278: [100_000] } })]),
      'bad-dimensions',
      /holds only/,
    ));
  it('unsupported compression', () =>
    expectImportFailure(encodeTestTiff([small({ overrideTags: { 259: [4] } })]), 'unsupported-compression', /CCITT Group 4/));
  it('unsupported sample format (signed integers)', () =>
    expectImportFailure(encodeTestTiff([small({ overrideTags: { 339: [2] } })]), 'unsupported-sample-format', /signed integer/));
  it('unsupported bit depth (12-bit)', () =>
    expectImportFailure(encodeTestTiff([small({ overrideTags: { 258: [12] } })]), 'unsupported-sample-format', /12-bit/));
  it('page beyond the last one', async () => {
    const file = path.join(tmp.dir, 'one-page.tif');
    writeFileSync(file, encodeTestTiff([small()]));
    const err = await probeTiff(file, 3).catch((e: unknown) => e);
    expect((err as ImageImportError).code).toBe('page-out-of-range');
  });
});

// A 2600 × 2600 image decoded in bands of one tile row (six bands, two decoding ahead), so the
// job opens the source again after its first tiles are written.
function bandedSource(name: string): { file: string; projectDir: string } {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, encodeTestTiff([{ width: 2600, height: 2600, channels: 1, bits: 8, samples: pattern8(2600, 2600, 1), rowsPerStrip: 64 }]));
  return { file, projectDir: path.join(tmp.dir, `project-${name}`) };
}

describe('failures during the import', () => {
  it('source path vanishing mid-import', async () => {
    const { file, projectDir } = bandedSource('vanishing.tif');
    const handler = createImportJobHandler({ fullDecodeLimitBytes: 0, bandBytes: 1 });
    const ctx = jobContext((done) => {
      if (done > 0 && existsSync(file)) unlinkSync(file);
    });
    const err = await handler.run({ projectDir, imageId: 1, sourcePath: file }, ctx).catch((e: unknown) => e);
    expect((err as ImageImportError).code).toBe('source-missing');
    expect((err as Error).message).toMatch(/vanished during import/);
    expect(listTree(path.join(projectDir, 'tiles'))).toEqual([]);
  });

  it('disk filling up while tiles are written', async () => {
    const { file, projectDir } = bandedSource('diskfull.tif');
    let writes = 0;
    const handler = createImportJobHandler({
      writeFile: async (p, data) => {
        if (++writes > 12) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await writeFile(p, data);
      },
    });
    const err = await handler.run({ projectDir, imageId: 1, sourcePath: file }, jobContext()).catch((e: unknown) => e);
    expect((err as ImageImportError).code).toBe('disk-full');
    expect((err as Error).message).toMatch(/disk is full/);
    expect(listTree(path.join(projectDir, 'tiles'))).toEqual([]);
  });

  it('cancellation removes the partial pyramid', async () => {
    const { file, projectDir } = bandedSource('cancel.tif');
    const handler = createImportJobHandler({ fullDecodeLimitBytes: 0, bandBytes: 1 });
    const ctx = jobContext((done) => {
      if (done > 0) ctx.controller.abort();
    });
    const err = await handler.run({ projectDir, imageId: 1, sourcePath: file }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobCancelledError);
    expect(listTree(path.join(projectDir, 'tiles'))).toEqual([]);
  });
});
