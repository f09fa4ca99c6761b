// Every TIFF variant imports; level 0 equals the source (JPEG: within its tolerance), each coarser
// level equals the 2 × 2 means of the level below (±1), and `micra region`'s TIFF writer
// round-trips the stored samples exactly. The import decodes in bands of one tile row, so striped
// files go through the strip cutter (stripBands) and the band pipeline, not one libvips pass.
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentHasher } from '../../../src-main/core/imaging/contentHash';
import { ImportResultSchema, createImportJobHandler } from '../../../src-main/core/imaging/importJob';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { readRegion } from '../../../src-main/core/imaging/regionReader';
import { levelSize } from '../../../src-shared/pyramidGeometry';
import { readThumbnail, tileDir } from '../../../src-main/core/imaging/tileStore';
import { writeTiffFile } from '../../../src-main/core/imaging/tiffWriter';
import { tiffVariants } from '../../generators/tiff/tiffVariants';
import { jobContext, maxAbsDiff, referenceHalve, tempDir } from './importTestKit';

const tmp = tempDir('micra-variants-');
const importJobHandler = createImportJobHandler({ bandBytes: 1 });
afterAll(() => tmp.cleanup());

describe('import of every TIFF variant', () => {
  tiffVariants().forEach((variant, index) => {
    it(variant.name, async () => {
      const imageId = index + 1;
      const source = path.join(tmp.dir, `${variant.name}.tif`);
      await variant.write(source);
      const ctx = jobContext();
      const result = ImportResultSchema.parse(await importJobHandler.run({ projectDir: tmp.dir, imageId, sourcePath: source }, ctx));
      const exp = variant.expected;
      expect(result).toMatchObject({ width: exp.width, height: exp.height, channels: exp.channels, bitsPerSample: exp.bitsPerSample, tileSize: 512, levels: 3 });
      if (variant.tolerance === 0) {
        const hasher = new ContentHasher(exp.width, exp.height, exp.channels, exp.bitsPerSample);
        hasher.update(exp.data);
        expect(result.contentHash).toBe(hasher.digest());
      }
      if (variant.pixelSizeNm === null) expect(result.pixelSizeNm).toBeNull();
      else expect(result.pixelSizeNm).toBeCloseTo(variant.pixelSizeNm, 6);
      expect((await probeTiff(source)).imagePages).toHaveLength(variant.imagePageCount);
      if (variant.floatMapping) {
        expect(result.floatMapping?.min).toBeCloseTo(variant.floatMapping.min, 3);
        expect(result.floatMapping?.max).toBeCloseTo(variant.floatMapping.max, 3);
      }
      expect(ctx.reports.at(-1)).toMatchObject({ done: ctx.reports.at(-1)?.total });
      expect(existsSync(tileDir(tmp.dir, imageId))).toBe(true);
      expect(existsSync(tileDir(tmp.dir, imageId) + '.partial')).toBe(false);

      const image = { id: imageId, width: result.width, height: result.height, bitsPerSample: result.bitsPerSample, channels: result.channels, tileSize: 512 };
      const level0 = await readRegion(tmp.dir, image, 0, { x: 0, y: 0, width: exp.width, height: exp.height });
      expect(maxAbsDiff(level0.data, exp.data)).toBeLessThanOrEqual(variant.tolerance);

      let below = level0;
      for (let level = 1; level < result.levels; level++) {
        const [w, h] = levelSize(result.width, result.height, level);
        const stored = await readRegion(tmp.dir, image, level, { x: 0, y: 0, width: w, height: h });
        expect(maxAbsDiff(stored.data, referenceHalve(below.data, below.width, below.height, result.channels))).toBeLessThanOrEqual(1);
        below = stored;
      }

      // `micra region`: a crop across tile borders, written as TIFF, read back by libvips.
      const crop = { x: 300, y: 450, width: 400, height: 200 };
      const region = await readRegion(tmp.dir, image, 0, crop);
      const out = path.join(tmp.dir, `${variant.name}-region.tif`);
      await writeTiffFile(out, region);
      const colourspace = result.channels === 1 ? (result.bitsPerSample === 16 ? 'grey16' : 'b-w') : result.bitsPerSample === 16 ? 'rgb16' : 'srgb';
      const back = await sharp(out).toColourspace(colourspace).raw({ depth: result.bitsPerSample === 16 ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
      expect(back.info).toMatchObject({ width: 400, height: 200, channels: result.channels });
      const backSamples = result.bitsPerSample === 16 ? new Uint16Array(back.data.buffer, back.data.byteOffset, back.data.length / 2) : back.data;
      expect(maxAbsDiff(backSamples, region.data)).toBe(0);
      for (let y = 0; y < crop.height; y += 37)
        for (let x = 0; x < crop.width; x += 53)
          for (let k = 0; k < result.channels; k++) {
            const src = exp.data[((crop.y + y) * exp.width + crop.x + x) * result.channels + k]!;
            expect(Math.abs(region.data[(y * crop.width + x) * result.channels + k]! - src)).toBeLessThanOrEqual(variant.tolerance);
          }

      const thumb = await readThumbnail(tmp.dir, imageId);
      const meta = await sharp(thumb ?? Buffer.alloc(0)).metadata();
      expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(256);
      expect(meta.depth).toBe('uchar');
    });
  });
});
