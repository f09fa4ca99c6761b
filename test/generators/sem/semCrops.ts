// Labelled training crops cut from synthetic SEM tiles: the yes/no "marker present" labels an
// expert would give. Source tiles of 4 × 4 crops are generated with enough markers that about
// half the crops hold one; crops are cut on the non-overlapping grid, so markers are often cut
// by a crop edge, as in a real sweep.
//
// With a style family other than 'classic', every source tile draws its own style (seeded by
// the tile's seed) and holds 2 × 2 crops, so a set of crops spans many styles.
//
// Label rule: a crop is positive when it contains a marker's centroid, or at least
// `minMarkerPixels` pixels of one marker.
import { deriveSeed } from './prng';
import { generateSemTile, type SemMarker } from './semTile';
import type { SemStyleFamily } from './semStyle';

export interface SemCropOptions {
  seed: number;
  cropSize: 256 | 512;
  /** Number of crops wanted. */
  count: number;
  /** Fraction of positives among the returned crops (default 0.5). */
  positiveFraction?: number;
  /** Default: 15 % of the smallest marker's area (about 400 px). */
  minMarkerPixels?: number;
  /** Style family of the source tiles (default 'classic'). */
  style?: SemStyleFamily;
}

export interface SemCrop {
  cropSize: number;
  pixels: Uint8Array;
  mask: Uint8Array;
  label: 0 | 1;
  /** Marker pixels inside the crop. */
  markerPixels: number;
  /** Which source tile (0, 1, …) and where in it the crop was cut. */
  source: { tile: number; x: number; y: number };
}

/** Markers per 16 crops of 256²: about half the crops of a classic tile hold one. */
const MARKERS_PER_16_CROPS = 7;
const MAX_SOURCE_TILES = 10_000;

export function semCropLabel(
  markers: readonly SemMarker[],
  mask: Uint8Array,
  tileWidth: number,
  x: number,
  y: number,
  size: number,
  minMarkerPixels: number,
): { label: 0 | 1; markerPixels: number; covers: number[] } {
  const inside = markers.filter((m) => m.box[0] < x + size && m.box[0] + m.box[2] > x && m.box[1] < y + size && m.box[1] + m.box[3] > y);
  let markerPixels = 0;
  const perMarker = new Map<SemMarker, number>();
  for (const m of inside) {
    let n = 0;
    const [bx, by, bw, bh] = m.box;
    for (let yy = Math.max(y, by); yy < Math.min(y + size, by + bh); yy++) {
      for (let xx = Math.max(x, bx); xx < Math.min(x + size, bx + bw); xx++) if (mask[yy * tileWidth + xx]) n++;
    }
    perMarker.set(m, n);
    markerPixels += n;
  }
  // The markers that make the crop positive (their centroid, or a big enough part, is inside), by index in `markers`.
  const covers = markers.flatMap((m, k) => ((m.cx >= x && m.cx < x + size && m.cy >= y && m.cy < y + size) || (perMarker.get(m) ?? 0) >= minMarkerPixels ? [k] : []));
  return { label: covers.length > 0 ? 1 : 0, markerPixels, covers };
}

export function generateSemCrops(options: SemCropOptions): SemCrop[] {
  const { seed, cropSize, count } = options;
  const positiveFraction = options.positiveFraction ?? 0.5;
  const minMarkerPixels = options.minMarkerPixels ?? 400;
  const wantPositive = Math.round(count * positiveFraction);
  const wantNegative = count - wantPositive;
  const positives: SemCrop[] = [];
  const negatives: SemCrop[] = [];
  const style = options.style ?? 'classic';
  const CROPS_PER_SIDE = style === 'classic' ? 4 : 2;
  const side = cropSize * CROPS_PER_SIDE;
  // Markers scale with the crop size so the positive rate is similar at 256² and 512² (smaller
  // markers of the drawn styles: a few more per crop for a similar positive rate).
  const markerCount = Math.round((MARKERS_PER_16_CROPS * (style === 'classic' ? 1 : 1.3) * CROPS_PER_SIDE * CROPS_PER_SIDE * cropSize) / (16 * 256));
  for (let t = 0; (positives.length < wantPositive || negatives.length < wantNegative) && t < MAX_SOURCE_TILES; t++) {
    const tile = generateSemTile({ width: side, height: side, seed: deriveSeed(seed, t), markerCount, style });
    for (let cy = 0; cy < CROPS_PER_SIDE; cy++) {
      for (let cx = 0; cx < CROPS_PER_SIDE; cx++) {
        const x = cx * cropSize;
        const y = cy * cropSize;
        const { label, markerPixels } = semCropLabel(tile.markers, tile.mask, side, x, y, cropSize, minMarkerPixels);
        const bucket = label === 1 ? positives : negatives;
        if (bucket.length >= (label === 1 ? wantPositive : wantNegative)) continue;
        const pixels = new Uint8Array(cropSize * cropSize);
        const mask = new Uint8Array(cropSize * cropSize);
        for (let j = 0; j < cropSize; j++) {
          const from = (y + j) * side + x;
          pixels.set(tile.pixels.subarray(from, from + cropSize), j * cropSize);
          mask.set(tile.mask.subarray(from, from + cropSize), j * cropSize);
        }
        bucket.push({ cropSize, pixels, mask, label, markerPixels, source: { tile: t, x, y } });
      }
    }
  }
  // Interleave deterministically so a prefix of the list keeps roughly the requested balance.
  const out: SemCrop[] = [];
  let p = 0;
  let n = 0;
  while (p < positives.length || n < negatives.length) {
    // Take from whichever list is proportionally further behind.
    const positiveProgress = positives.length === 0 ? 1 : p / positives.length;
    const negativeProgress = negatives.length === 0 ? 1 : n / negatives.length;
    if (p < positives.length && positiveProgress <= negativeProgress) out.push(positives[p++] as SemCrop);
    else out.push(negatives[n++] as SemCrop);
  }
  return out;
}
