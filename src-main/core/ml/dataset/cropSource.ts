// A cheap name for where a crop's pixels come from, for the crop digest memo
// (training/cropDigestMemo.ts): the image's geometry, the rectangle, the reader's settings and
// the identity of every level-0 tile file the crop covers (device, inode, size, modification and
// change times, from lstat: a few microseconds per tile, against reading, converting and hashing
// the crop). A tile rewritten or replaced (re-import, relink) changes its stat, so the crop gets a
// new source and its digest is computed again. Null when a tile is missing or not a regular file:
// the caller then reads the crop, which reports the problem.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { resolveTilePath } from '../../imaging/tileStore';
import type { Preprocessing } from '../weights/modelCard';
import type { DatasetImage } from './datasetSpec';

/** Bumped when how a crop's model pixels are made from its tiles changes (readCropForModel, preprocessing). */
const CROP_SOURCE_VERSION = 1;

export interface CropReader {
  size: number;
  inChannels: number;
  preprocessing: Preprocessing;
}

/** SHA-256 (hex) naming the source of the crop at (x, y), or null when a tile cannot be stat'ed. */
export function cropSourceId(projectDir: string, image: DatasetImage, x: number, y: number, reader: CropReader): string | null {
  const ts = image.tileSize;
  const tiles: string[] = [];
  for (let row = Math.floor(y / ts); row * ts < y + reader.size; row++)
    for (let col = Math.floor(x / ts); col * ts < x + reader.size; col++) {
      const file = resolveTilePath(projectDir, image.id, 0, col, row);
      if (file === null) return null;
      let st: fs.BigIntStats;
      try {
        st = fs.lstatSync(file, { bigint: true });
      } catch {
        return null;
      }
      if (!st.isFile()) return null;
      tiles.push(`${col},${row}:${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${file}`);
    }
  const text = JSON.stringify({ v: CROP_SOURCE_VERSION, image, x, y, reader, tiles });
  return createHash('sha256').update(text).digest('hex');
}
