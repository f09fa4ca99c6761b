// Tag values outside the TIFF specification that do not change the pixels: the probe reads them
// without failing (tifffile's mm/µm units give the pixel size), and the corrected copy handed to
// libvips sets them to valid values and nothing else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { correctedCopy } from '../../../src-main/core/imaging/lenientTiff';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { writeTestTiff, type TestPage } from '../../generators/tiff/tiffWriter';
import { tempDir } from '../../integration/imaging/importTestKit';

const tmp = tempDir('micra-leniency-');
afterAll(() => tmp.cleanup());

const [W, H] = [40, 30];
const samples = new Uint8Array(W * H).map((_, i) => (i * 7) & 255);
let fileCount = 0;

function write(page: Partial<TestPage>, options: { littleEndian?: boolean; bigTiff?: boolean } = {}): string {
  const file = path.join(tmp.dir, `f${fileCount++}.tif`);
  writeTestTiff(file, [{ width: W, height: H, channels: 1, bits: 8, samples, ...page }], options);
  return file;
}

const decode = (input: string | Buffer) => sharp(input, { failOn: 'error' }).toColourspace('b-w').raw().toBuffer();

describe('probe of out-of-spec harmless tags', () => {
  it.each([
    [5, 1 / 0.004, 4], // tifffile resolutionunit='MICROMETER': 0.004 µm per pixel
    [5, 2, 500],
    [4, 1 / 0.00002, 20], // 'MILLIMETER': 0.00002 mm per pixel
  ])('ResolutionUnit %i with XResolution %d gives %d nm per pixel', async (unit, x, nm) => {
    const probe = await probeTiff(write({ resolution: { x, unit } }));
    expect(probe.pixelSizeNm).toBeCloseTo(nm, 6);
    expect(probe.pixelSizeSource).toBe('resolution');
  });

  it('reads a file with ResolutionUnit 7 or Orientation 0 without a pixel size and without failing', async () => {
    expect((await probeTiff(write({ resolution: { x: 1000, unit: 7 } }))).pixelSizeNm).toBeNull();
    expect((await probeTiff(write({ resolution: { x: 1000, unit: 0 }, orientation: 0 }))).pixelSizeNm).toBeNull();
  });
});

describe('corrected copy for libvips', () => {
  it.each([
    ['little-endian', { littleEndian: true }],
    ['big-endian', { littleEndian: false }],
    ['BigTIFF', { bigTiff: true }],
  ])('sets ResolutionUnit 5 and Orientation 0 to valid values in a %s file, and only them', async (_label, options) => {
    const file = write({ resolution: { x: 250, unit: 5 }, orientation: 0 }, options);
    await expect(decode(file)).rejects.toThrow(/ResolutionUnit/);
    const copy = await correctedCopy(await probeTiff(file));
    if (!copy.ok) throw new Error(copy.why);
    expect(copy.corrected.sort()).toEqual(['Orientation', 'ResolutionUnit']);
    const original = readFileSync(file);
    // Two values of two bytes each changed, nothing else.
    const changed = [...original.keys()].filter((i) => original[i] !== copy.bytes[i]);
    expect(changed.length).toBeGreaterThanOrEqual(2);
    expect(changed.length).toBeLessThanOrEqual(4);
    expect(Buffer.from(await decode(copy.bytes))).toEqual(Buffer.from(samples));
  });

  it('declines files with nothing to correct, and files past the memory limit', async () => {
    const clean = await probeTiff(write({ resolution: { x: 250, unit: 3 } }));
    expect(await correctedCopy(clean)).toMatchObject({ ok: false, why: expect.stringMatching(/no out-of-spec tag/) });
    const bad = await probeTiff(write({ resolution: { x: 250, unit: 5 } }));
    expect(await correctedCopy(bad, 100)).toMatchObject({ ok: false, why: expect.stringMatching(/would need .* of memory \(the limit is 100 bytes\)/) });
  });
});
