// A rectangle of one pyramid level, assembled from the stored tiles (for `micra region`,
// exports of crops, and tests that compare pyramids with their sources).
import { allocSamples, samplesFromBytes, type Raster } from './raster';
import { levelSize } from '../../../src-shared/pyramidGeometry';
import type { ImageGeometry } from '../../../src-shared/imageGeometry';
import { readTile } from './tileStore';

export interface RegionRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function readRegion(projectDir: string, image: Omit<ImageGeometry, 'levels'>, level: number, rect: RegionRect): Promise<Raster> {
  const [lw, lh] = levelSize(image.width, image.height, level);
  const { x, y, width, height } = rect;
  if (![x, y, width, height, level].every((v) => Number.isInteger(v) && v >= 0) || width === 0 || height === 0)
    throw new RangeError(`invalid region ${width}×${height} at (${x}, ${y}) of level ${level}`);
  if (x + width > lw || y + height > lh)
    throw new RangeError(`region ${width}×${height} at (${x}, ${y}) exceeds level ${level}, which is ${lw}×${lh}`);
  const c = image.channels;
  const ts = image.tileSize;
  const out = allocSamples(image.bitsPerSample, width * height * c);
  for (let row = Math.floor(y / ts); row * ts < y + height; row++)
    for (let col = Math.floor(x / ts); col * ts < x + width; col++) {
      const bytes = await readTile(projectDir, image.id, level, col, row);
      if (!bytes) throw new Error(`tile ${col},${row} of level ${level} of image ${image.id} is not in the tile store`);
      const tile = samplesFromBytes(bytes, image.bitsPerSample);
      const tw = Math.min(ts, lw - col * ts);
      // A damaged tile (truncated, overwritten) would otherwise read as zeros past its end.
      const th = Math.min(ts, lh - row * ts);
      if (tile.length < tw * th * c) throw new Error(`tile ${col},${row} of level ${level} of image ${image.id} is damaged: ${bytes.length} bytes, expected ${(tw * th * c * image.bitsPerSample) / 8}`);
      const x0 = Math.max(x, col * ts);
      const x1 = Math.min(x + width, col * ts + tw);
      const y0 = Math.max(y, row * ts);
      const y1 = Math.min(y + height, row * ts + ts, lh);
      for (let yy = y0; yy < y1; yy++) {
        const from = ((yy - row * ts) * tw + (x0 - col * ts)) * c;
        out.set(tile.subarray(from, from + (x1 - x0) * c), ((yy - y) * width + (x0 - x)) * c);
      }
    }
  return { data: out, width, height, channels: c, bitsPerSample: image.bitsPerSample };
}
