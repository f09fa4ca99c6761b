// Files libvips refuses for a tag that does not change the pixels (tifffile's ResolutionUnit 5,
// an Orientation of 0) import all the same, with exact pixels and their pixel size: striped
// grey/RGB pages through Micra Studio's own strip reader, other layouts through a copy with the
// tags corrected. When nothing can decode a page, the error says what failed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageImportError } from '../../../src-main/core/imaging/importError';
import { ImportResultSchema, createImportJobHandler } from '../../../src-main/core/imaging/importJob';
import { readRegion } from '../../../src-main/core/imaging/regionReader';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { pattern16, pattern8 } from '../../generators/tiff/tiffVariants';
import { writeTestTiff, type TestPage } from '../../generators/tiff/tiffWriter';
import { jobContext, maxAbsDiff, tempDir } from './importTestKit';

const tmp = tempDir('micra-lenient-');
afterAll(() => tmp.cleanup());

const [W, H] = [700, 600];
const g8 = pattern8(W, H, 1);
const rgb8 = pattern8(W, H, 3);
const g16 = pattern16(W, H, 1);
const um = { x: 250, unit: 5 }; // 250 px/µm: 4 nm per pixel

const palette = new Uint8Array(768).map((_, i) => (i % 3 === 0 ? i / 3 : i % 3 === 1 ? 255 - (i - 1) / 3 : ((i - 2) / 3) * 7) & 255);
const indices = new Uint8Array(W * H).map((_, i) => ((i % W) + 2 * Math.floor(i / W)) & 255);
const paletteRgb = new Uint8Array(W * H * 3).map((_, i) => palette[indices[Math.floor(i / 3)]! * 3 + (i % 3)]!);
const bits = new Uint8Array(W * H).map((_, i) => ((i % W >> 3) + (Math.floor(i / W) >> 2)) & 1);

interface Case {
  name: string;
  page: Omit<TestPage, 'width' | 'height'>;
  expected: Uint8Array | Uint16Array;
  channels: 1 | 3;
  nm: number | null;
  /** libvips refuses the file itself (tiled pages it reads regardless). */
  refused: boolean;
  bandBytes?: number;
}

const cases: Case[] = [
  // tifffile's default layout: uncompressed, one strip.
  { name: '8-bit, one uncompressed strip, ResolutionUnit 5', page: { channels: 1, bits: 8, samples: g8, resolution: um }, expected: g8, channels: 1, nm: 4, refused: true },
  { name: '8-bit, one LZW strip, ResolutionUnit 4', page: { channels: 1, bits: 8, samples: g8, compression: 'lzw', resolution: { x: 50_000, unit: 4 } }, expected: g8, channels: 1, nm: 20, refused: true },
  { name: '16-bit, Deflate strips read whole, ResolutionUnit 5 and Orientation 0', page: { channels: 1, bits: 16, samples: g16, rowsPerStrip: 64, compression: 'deflate', predictor: 2, resolution: um, orientation: 0 }, expected: g16, channels: 1, nm: 4, refused: true },
  { name: 'RGB 8-bit, LZW strips in bands, ResolutionUnit 5', page: { channels: 3, bits: 8, samples: rgb8, rowsPerStrip: 16, compression: 'lzw', resolution: um }, expected: rgb8, channels: 3, nm: 4, refused: true, bandBytes: 1 },
  { name: 'palette, one LZW strip, ResolutionUnit 5 (corrected copy)', page: { channels: 1, bits: 8, samples: indices, palette, compression: 'lzw', resolution: um }, expected: paletteRgb, channels: 3, nm: 4, refused: true },
  { name: '1-bit, PackBits strips, Orientation 0 and ResolutionUnit 7 (corrected copy)', page: { channels: 1, bits: 1, samples: bits, rowsPerStrip: 64, compression: 'packbits', resolution: { x: 250, unit: 7 }, orientation: 0 }, expected: bits.map((b) => b * 255), channels: 1, nm: null, refused: true },
  { name: '8-bit tiles, Deflate, ResolutionUnit 5', page: { channels: 1, bits: 8, samples: g8, tile: { width: 256, height: 256 }, compression: 'deflate', resolution: um }, expected: g8, channels: 1, nm: 4, refused: false },
];

async function importFile(file: string, imageId: number, bandBytes?: number) {
  const handler = createImportJobHandler(bandBytes === undefined ? {} : { bandBytes });
  return ImportResultSchema.parse(await handler.run({ projectDir: tmp.dir, imageId, sourcePath: file }, jobContext()));
}

describe('import of files with out-of-spec harmless tags', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const file = path.join(tmp.dir, `case-${i}.tif`);
      writeTestTiff(file, [{ width: W, height: H, ...c.page }]);
      const direct = sharp(file, { failOn: 'error' }).raw().toBuffer();
      if (c.refused) await expect(direct).rejects.toThrow(/Bad value \d+ for "(ResolutionUnit|Orientation)"/);
      else await direct;

      const result = await importFile(file, i + 1, c.bandBytes);
      expect(result).toMatchObject({ width: W, height: H, channels: c.channels, bitsPerSample: c.expected instanceof Uint16Array ? 16 : 8 });
      if (c.nm === null) expect(result.pixelSizeNm).toBeNull();
      else expect(result.pixelSizeNm).toBeCloseTo(c.nm, 9);
      const image = { id: i + 1, width: W, height: H, bitsPerSample: result.bitsPerSample, channels: result.channels, tileSize: 512 };
      const level0 = await readRegion(tmp.dir, image, 0, { x: 0, y: 0, width: W, height: H });
      expect(maxAbsDiff(level0.data, c.expected)).toBe(0);
      // One tile across the 512 border, sample by sample.
      const region = await readRegion(tmp.dir, image, 0, { x: 500, y: 490, width: 30, height: 40 });
      for (let y = 0; y < 40; y++)
        for (let x = 0; x < 30; x++)
          for (let k = 0; k < c.channels; k++)
            expect(region.data[(y * 30 + x) * c.channels + k]).toBe(c.expected[((490 + y) * W + 500 + x) * c.channels + k]);
    });
  });

  it('says what failed when neither libvips nor the corrected copy can decode a page', async () => {
    const file = path.join(tmp.dir, 'broken-palette.tif');
    writeTestTiff(file, [{ width: W, height: H, channels: 1, bits: 8, samples: indices, palette, compression: 'lzw', resolution: um }]);
    // Damage the LZW data: libvips fails on the pixels, not only on the tag.
    const probe = await probeTiff(file);
    const bytes = readFileSync(file);
    bytes.fill(0xff, probe.blockOffsets[0]! + 10, probe.blockOffsets[0]! + probe.blockByteCounts[0]! - 10);
    writeFileSync(file, bytes);
    const failure = await importFile(file, 100).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ImageImportError);
    expect((failure as ImageImportError).code).toBe('decode-failed');
    expect((failure as ImageImportError).message).toMatch(/libvips could not decode "broken-palette\.tif" \(.*ResolutionUnit.*\), and decoding it through a copy with its out-of-spec tags corrected failed too: /);
  });

  it('says why when the page is a layout its own reader does not cover and it has nothing to correct', async () => {
    const file = path.join(tmp.dir, 'broken-clean-palette.tif');
    writeTestTiff(file, [{ width: W, height: H, channels: 1, bits: 8, samples: indices, palette, compression: 'lzw' }]);
    const probe = await probeTiff(file);
    const bytes = readFileSync(file);
    bytes.fill(0xff, probe.blockOffsets[0]! + 10, probe.blockOffsets[0]! + probe.blockByteCounts[0]! - 10);
    writeFileSync(file, bytes);
    const failure = await importFile(file, 101).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ImageImportError);
    expect((failure as ImageImportError).message).toMatch(
      /libvips could not decode "broken-clean-palette\.tif" \(.+\), and Micra Studio's own reader cannot either: .* this page is palette striped with LZW compression, and .* has no out-of-spec tag value/,
    );
  });
});
