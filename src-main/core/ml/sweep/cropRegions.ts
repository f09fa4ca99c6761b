// A positive crop's Grad-CAM maps → regions in full-resolution image pixels: PCA map →
// precise_raw → EM mask (the reference post-processing) → one region per 8-connected part,
// each with its box and its mask over the box. For "add a missed region here", the same
// pipeline keeps the part containing the clicked point instead of the map's maximum.
import type { GradCamMaps } from '../workerPool';
import { pcaMap } from '../explain/pcaMap';
import type { BinaryMask, ScalarMap } from '../explain/scalarMap';
import { labelComponents } from '../postprocess/connectedComponents';
import { emPart, emParts, emPostprocess, preciseRaw } from '../postprocess/emPostprocess';
import { encodeMaskRle } from '../../../../src-shared/maskRle';
import type { JournalRegion } from './sweepJournal';

export interface CropPlacement {
  /** Crop origin in level-0 pixels. */
  x: number;
  y: number;
  /** Model input size. */
  size: number;
  /** The part of the crop inside the image. */
  validWidth: number;
  validHeight: number;
}

export function preciseRawOf(maps: GradCamMaps, size: number): ScalarMap {
  return preciseRaw(pcaMap(maps.maps, maps.sizes, size, size));
}

/** Every 8-connected part of `mask` inside the valid area, as regions in image pixels. */
export function maskToRegions(mask: BinaryMask, place: CropPlacement, score: number): JournalRegion[] {
  const clipped = new Uint8Array(mask.width * mask.height);
  for (let y = 0; y < place.validHeight; y++)
    for (let x = 0; x < place.validWidth; x++) clipped[y * mask.width + x] = mask.data[y * mask.width + x] ? 1 : 0;
  const { labels, count } = labelComponents({ data: clipped, width: mask.width, height: mask.height }, 8, 1);
  const regions: JournalRegion[] = [];
  for (let label = 1; label <= count; label++) {
    let minX = mask.width;
    let minY = mask.height;
    let maxX = -1;
    let maxY = -1;
    for (let p = 0; p < labels.length; p++) {
      if (labels[p] !== label) continue;
      const x = p % mask.width;
      const y = (p - x) / mask.width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const width = maxX - minX + 1;
    const height = maxY - minY + 1;
    const part = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) part[y * width + x] = labels[(minY + y) * mask.width + minX + x] === label ? 1 : 0;
    regions.push({ x: place.x + minX, y: place.y + minY, width, height, score, mask: encodeMaskRle(part, width, height) });
  }
  return regions;
}

/** The sweep's regions of one positive crop. */
export function cropRegions(maps: GradCamMaps, place: CropPlacement, score: number): JournalRegion[] {
  return maskToRegions(emPostprocess(preciseRawOf(maps, place.size)), place, score);
}

/**
 * The EM thresholding of `raw`, keeping the part that contains (px, py) — or, when the point
 * falls outside every part, the part nearest to it. Empty when nothing passes the threshold.
 */
export function emRegionAt(raw: ScalarMap, px: number, py: number): BinaryMask {
  const parts = emParts(raw);
  const { labels, paddedWidth: pw } = parts;
  let keep = labels[(py + 1) * pw + (px + 1)] as number;
  if (keep === 0) {
    let best = Infinity;
    for (let p = 0; p < labels.length; p++) {
      if (labels[p] === 0) continue;
      const x = (p % pw) - 1;
      const y = Math.floor(p / pw) - 1;
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < best) {
        best = d;
        keep = labels[p] as number;
      }
    }
  }
  return emPart(parts, keep, raw.width, raw.height);
}
