// The cheap "pure background" test for crops (no tissue: empty resin, out-of-section areas):
// the crop is read from a coarse pyramid level (about 32 px across) and called background
// when its intensities are nearly uniform. Used to hide crops in the labelling grid and to
// keep blank crops out of the unlabelled negatives.
import type { ImageGeometry } from '../../../../src-shared/imageGeometry';
import { readRegion } from '../../imaging/regionReader';
import { levelSize } from '../../../../src-shared/pyramidGeometry';

/** Std dev below this fraction of the full range means uniform. */
export const BACKGROUND_STD_FRACTION = 0.02;
const PREVIEW_SIDE = 32;

/** Standard deviation of the crop's samples at a coarse level, as a fraction of the range. */
export async function cropRelativeStd(projectDir: string, image: ImageGeometry, x: number, y: number, size: number): Promise<number> {
  const level = Math.max(0, Math.min(image.levels - 1, Math.floor(Math.log2(Math.max(1, size / PREVIEW_SIDE)))));
  const f = 2 ** level;
  const [lw, lh] = levelSize(image.width, image.height, level);
  const x0 = Math.min(Math.floor(x / f), lw - 1);
  const y0 = Math.min(Math.floor(y / f), lh - 1);
  const w = Math.max(1, Math.min(lw - x0, Math.ceil(size / f)));
  const h = Math.max(1, Math.min(lh - y0, Math.ceil(size / f)));
  const r = await readRegion(projectDir, image, level, { x: x0, y: y0, width: w, height: h });
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < r.data.length; i++) {
    const v = r.data[i] as number;
    sum += v;
    sq += v * v;
  }
  const n = r.data.length;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  return std / (image.bitsPerSample === 16 ? 65535 : 255);
}

export async function isBackgroundCrop(projectDir: string, image: ImageGeometry, x: number, y: number, size: number): Promise<boolean> {
  return (await cropRelativeStd(projectDir, image, x, y, size)) < BACKGROUND_STD_FRACTION;
}
