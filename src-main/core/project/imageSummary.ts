// Maps an images row to the API's ImageSummary, and to the geometry its readers need.
import type { ImageSummary } from '../../api/types';
import type { ImageGeometry } from '../../../src-shared/imageGeometry';
import type { ImageRow } from './imagesRepo';
import { levelSizesOf } from '../../../src-shared/pyramidGeometry';

/** The one row-to-geometry mapping: what sweeps, crops and the region reader take of an image. */
export function imageGeometry(row: ImageRow): ImageGeometry {
  return { id: row.id, width: row.width, height: row.height, bitsPerSample: row.bits_per_sample, channels: row.channels, tileSize: row.tile_size, levels: row.levels };
}

/** `sourceMissing` is a fact about the disk, so the caller (who can look) supplies it. */
export function toImageSummary(row: ImageRow, sourceMissing: boolean): ImageSummary {
  return {
    id: row.id,
    name: row.name,
    width: row.width,
    height: row.height,
    bitsPerSample: row.bits_per_sample,
    channels: row.channels,
    tileSize: row.tile_size,
    levelSizes: levelSizesOf(row.width, row.height, row.levels),
    pixelSizeNm: row.pixel_size_nm,
    status: row.status,
    sourcePath: row.source_path,
    sourceMissing,
    notice: row.notice,
    createdAt: row.created_at,
  };
}
