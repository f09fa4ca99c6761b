// `micra import` of files written by Python's tifffile with its millimetre and micrometre
// resolution units (ResolutionUnit 4 and 5, outside the TIFF specification; libvips refuses the
// striped ones): every file imports, with its pixel size and its exact pixels. The command runs
// in-process against a real compute process, as `micra import` runs it.
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runImportCommand } from '../../../src-main/cli/commands/importCommand';
import { readRegion } from '../../../src-main/core/imaging/regionReader';
import { PATTERN8_NUMPY, writeWithTifffile } from '../../generators/tiff/tifffile';
import { pattern8 } from '../../generators/tiff/tiffVariants';
import { capturedConsole, tempDir } from '../app/appTestKit';

const tmp = tempDir('micra-tifffile-');
const projectDir = path.join(tmp.dir, 'project');
const [W, H] = [900, 1100];
const expected = pattern8(W, H, 1);

const { out, err } = capturedConsole();
afterAll(() => tmp.cleanup());

const files = [
  // tifffile's defaults: uncompressed, one strip; 250 px/µm = 4 nm per pixel.
  { name: 'um-plain.tif', args: "resolution=(250, 250), resolutionunit='MICROMETER'", nm: 4, refused: true },
  { name: 'um-zlib.tif', args: "resolution=(250, 250), resolutionunit='MICROMETER', compression='zlib'", nm: 4, refused: true },
  // 100,000 px/mm = 10 nm per pixel.
  { name: 'mm-tiled.tif', args: "resolution=(100000, 100000), resolutionunit='MILLIMETER', tile=(256, 256), compression='zlib'", nm: 10, refused: false },
];

describe('micra import of tifffile files', () => {
  it('imports ResolutionUnit 5 (µm) and 4 (mm) files with their pixel size and pixels', async () => {
    const paths = files.map((f) => {
      const file = path.join(tmp.dir, f.name);
      writeWithTifffile(file, `h, w = ${H}, ${W}\ntifffile.imwrite(path, ${PATTERN8_NUMPY}, ${f.args})`);
      return file;
    });
    // The defect this covers: libvips refuses the striped files outright.
    for (const [i, f] of files.entries()) {
      const direct = sharp(paths[i]!, { failOn: 'error' }).raw().toBuffer();
      if (f.refused) await expect(direct).rejects.toThrow(/Bad value 5 for "ResolutionUnit" tag/);
      else await direct;
    }

    expect(await runImportCommand(['--project', projectDir, ...paths])).toBe(0);
    expect(err).toEqual([]);
    const lines = out.map((l) => JSON.parse(l) as { id: number; name: string; width: number; height: number; bitsPerSample: number; pixelSizeNm: number | null });
    expect(lines).toHaveLength(files.length);

    const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
    try {
      for (const [i, f] of files.entries()) {
        const line = lines[i]!;
        expect(line).toMatchObject({ name: f.name, width: W, height: H, bitsPerSample: 8 });
        expect(line.pixelSizeNm).toBeCloseTo(f.nm, 9);
        const row = db.prepare('SELECT pixel_size_nm, status FROM images WHERE id = ?').get(line.id) as { pixel_size_nm: number; status: string };
        expect(row.status).toBe('ready');
        expect(row.pixel_size_nm).toBeCloseTo(f.nm, 9);
        // A region across tile borders, and the whole of level 0.
        const image = { id: line.id, width: W, height: H, bitsPerSample: 8 as const, channels: 1 as const, tileSize: 512 };
        const region = await readRegion(projectDir, image, 0, { x: 500, y: 1000, width: 20, height: 30 });
        for (let y = 0; y < 30; y++) for (let x = 0; x < 20; x++) expect(region.data[y * 20 + x]).toBe(expected[(1000 + y) * W + 500 + x]);
        const level0 = await readRegion(projectDir, image, 0, { x: 0, y: 0, width: W, height: H });
        expect(Buffer.from(level0.data)).toEqual(Buffer.from(expected));
      }
    } finally {
      db.close();
    }
  }, 240_000); // a fresh compute process and three imports: slow on a loaded two-core machine
});
