// Maps an images row to the API's ImageSummary.
import type { ImageSummary } from '../../api/types';
import type { ImageRow } from './imagesRepo';
import { levelSizesOf } from '../../../src-shared/pyramidGeometry';

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
