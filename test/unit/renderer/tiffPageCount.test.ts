// The browser's page count of a dropped TIFF agrees with the import's own probe, on classic and
// BigTIFF, both byte orders, reduced-resolution pages, and damaged or foreign files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { countTiffImagePages } from '../../../src-renderer/lib/tiffPageCount';
import { encodeTestTiff, type TestPage, type TiffFileOptions } from '../../generators/tiff/tiffWriter';

const dir = mkdtempSync(join(tmpdir(), 'micra-pagecount-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function page(width: number, height: number, extra: Partial<TestPage> = {}): TestPage {
  const samples = new Uint8Array(width * height).map((_, i) => (i * 31) & 255);
  return { width, height, channels: 1, bits: 8, samples, rowsPerStrip: 8, ...extra };
}

async function both(name: string, pages: TestPage[], options: TiffFileOptions = {}): Promise<{ browser: number | null; probe: number }> {
  const bytes = encodeTestTiff(pages, options);
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const probe = (await probeTiff(file)).imagePageCount;
  return { browser: await countTiffImagePages(new Blob([new Uint8Array(bytes)])), probe };
}

describe('countTiffImagePages', () => {
  const layouts: [string, TiffFileOptions][] = [
    ['classic little-endian', {}],
    ['classic big-endian', { littleEndian: false }],
    ['BigTIFF little-endian', { bigTiff: true }],
    ['BigTIFF big-endian', { bigTiff: true, littleEndian: false }],
  ];
  for (const [label, options] of layouts) {
    it(`counts 1 and 4 pages (${label})`, async () => {
      expect(await both(`one-${label}.tif`, [page(40, 30)], options)).toEqual({ browser: 1, probe: 1 });
      expect(await both(`four-${label}.tif`, [0, 1, 2, 3].map(() => page(40, 30)), options)).toEqual({ browser: 4, probe: 4 });
    });
  }

  it('leaves out reduced-resolution pages, as the probe does', async () => {
    const pages = [page(64, 64), page(32, 32, { subfileType: 1 }), page(64, 64), page(32, 32, { subfileType: 1 })];
    expect(await both('pyramid.tif', pages)).toEqual({ browser: 2, probe: 2 });
    expect(await both('pyramid-big.tif', pages, { bigTiff: true, littleEndian: false })).toEqual({ browser: 2, probe: 2 });
  });

  it('answers null for a file that is not a TIFF, or empty, and stops at a broken chain', async () => {
    expect(await countTiffImagePages(new Blob(['definitely not a TIFF']))).toBeNull();
    expect(await countTiffImagePages(new Blob([]))).toBeNull();
    const bytes = encodeTestTiff([page(40, 30), page(40, 30)]);
    // The header's first directory offset points past the end.
    const broken = Buffer.from(bytes);
    broken.writeUInt32LE(bytes.length + 100, 4);
    expect(await countTiffImagePages(new Blob([new Uint8Array(broken)]))).toBeNull();
  });
});
