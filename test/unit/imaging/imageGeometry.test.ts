// The one image geometry (src-shared/imageGeometry.ts): main's row mapping and the renderer's
// mapping of an ImageSummary give the same geometry for the same image, which main's schema
// accepts, and a level's size is the pyramid's (an error past its last level).
import { describe, expect, it } from 'vitest';
import { ImageGeometrySchema } from '../../../src-main/core/imaging/imageGeometry';
import type { ImageRow } from '../../../src-main/core/project/imagesRepo';
import { imageGeometry, toImageSummary } from '../../../src-main/core/project/imageSummary';
import { geometryOfSummary, levelSizeOf } from '../../../src-shared/imageGeometry';

const row: ImageRow = {
  id: 4, name: 'a.tif', width: 3000, height: 1001, bits_per_sample: 16, channels: 1, tile_size: 512, levels: 4,
  pixel_size_nm: 5, status: 'ready', source_path: 'a.tif', source_page: 0, content_hash: null, notice: null, created_at: '', updated_at: '',
};

describe('image geometry', () => {
  it('is the same from an images row (main) and from its ImageSummary (renderer)', () => {
    const fromRow = imageGeometry(row);
    expect(fromRow).toEqual({ id: 4, width: 3000, height: 1001, bitsPerSample: 16, channels: 1, tileSize: 512, levels: 4 });
    expect(geometryOfSummary(toImageSummary(row, false))).toEqual(fromRow);
    expect(ImageGeometrySchema.parse(fromRow)).toEqual(fromRow);
  });

  it("gives each level's size, finest first, and refuses a level the pyramid lacks", () => {
    const g = imageGeometry(row);
    expect([0, 1, 2, 3].map((l) => levelSizeOf(g, l))).toEqual([[3000, 1001], [1500, 501], [750, 251], [375, 126]]);
    expect(toImageSummary(row, false).levelSizes).toEqual([0, 1, 2, 3].map((l) => levelSizeOf(g, l)));
    expect(() => levelSizeOf(g, 4)).toThrow('image 4 has no level 4');
    expect(() => levelSizeOf(g, -1)).toThrow('no level -1');
  });
});
