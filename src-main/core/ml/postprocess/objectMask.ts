// The measuring mask of the sweep ("object" method): a threshold that follows the object instead
// of the reference's fixed share of the crop.
//
// The reference EM mask keeps the top 10 % of a crop's smoothed PCA map, so every mask has about
// the same area (6,657 px² on a 256² crop) whatever the object's size: no measurement. Here the
// σ = 5 smoothed map (the EM smoothing) is cut at a fixed fraction of the object's own prominence:
// its local peak above the crop's median. The map's profile widens with the object, so the mask
// does too. Measured on synthetic SEM markers of 3,000–20,000 px² with crops centred on the
// marker (±30 px): a fraction of 0.3 gave a median relative area error of 0.04 and a median IoU
// of 0.88, against 0.35–0.49 and 0.56–0.80 for the reference mask; 0.2 grew and 0.4 shrank masks
// by 15–30 %. The part kept is the one holding the peak, with small holes filled as in EM.
// 0.35 since the held-out styles (scripts/heldOutAreaFractions.ts, 4,096² images, seed 9101):
// 0.3 left the masks of the blurry 'heldout-soft' look 22 % too large (its maps are wider), and
// 0.35 also measured the other looks as well or better (median errors 0.02–0.09 against
// 0.03–0.08; soft 0.15); checked on seed 9202, never tuned on.
import type { BinaryMask, ScalarMap } from '../explain/scalarMap';
import { labelComponents } from './connectedComponents';
import { EM_MAX_HOLE_AREA, EM_SIGMA } from './emPostprocess';
import { fillSmallHoles } from './fillHoles';
import { gaussianFilter } from './gaussian';

/** Share of the object's prominence (peak − crop median) a pixel must pass. */
export const OBJECT_PROMINENCE_FRACTION = 0.35;
/**
 * Share of the strongest peak's prominence a part of a grid crop's map must pass to be an object
 * candidate: kept at the value the candidates were tuned with when the mask's share moved.
 */
export const CANDIDATE_PROMINENCE_FRACTION = 0.3;
/** How far from the asked point the object's peak is looked for, in pixels of the map. */
export const OBJECT_PEAK_RADIUS = 48;
/** Parts of a crop's map smaller than this are noise, not object candidates (markers are ≥ 1,500 px²). */
export const MIN_CANDIDATE_AREA = 300;

/** The smoothed map and its median: what every threshold of this method is relative to. */
export interface ObjectMapBasis {
  smooth: ScalarMap;
  median: number;
}

export function objectMapBasis(raw: ScalarMap): ObjectMapBasis {
  const smooth = gaussianFilter(raw, EM_SIGMA);
  const sorted = Float32Array.from(smooth.data).sort();
  return { smooth, median: sorted[sorted.length >> 1] as number };
}

function thresholdAbove(basis: ObjectMapBasis, peakValue: number, fraction: number = OBJECT_PROMINENCE_FRACTION): Uint8Array {
  const { smooth, median } = basis;
  const t = median + fraction * (peakValue - median);
  const out = new Uint8Array(smooth.data.length);
  for (let p = 0; p < out.length; p++) out[p] = (smooth.data[p] as number) > t ? 1 : 0;
  return out;
}

/** Index of the largest smoothed value within `radius` of (px, py). */
function localPeak(map: ScalarMap, px: number, py: number, radius: number): number {
  let best = -1;
  let bestValue = -Infinity;
  const r2 = radius * radius;
  for (let y = Math.max(0, py - radius); y <= Math.min(map.height - 1, py + radius); y++) {
    for (let x = Math.max(0, px - radius); x <= Math.min(map.width - 1, px + radius); x++) {
      if ((x - px) ** 2 + (y - py) ** 2 > r2) continue;
      const v = map.data[y * map.width + x] as number;
      if (v > bestValue) {
        bestValue = v;
        best = y * map.width + x;
      }
    }
  }
  return best;
}

/**
 * The object at (px, py) of a crop's precise_raw map (usually a crop centred on it): the map's
 * peak near the point sets the threshold, and the part holding that peak is the object.
 * All zeros when the map is flat there (no prominence).
 */
export function objectMaskAt(raw: ScalarMap, px: number, py: number, basis: ObjectMapBasis = objectMapBasis(raw), fraction: number = OBJECT_PROMINENCE_FRACTION): BinaryMask {
  const { width: w, height: h } = raw;
  const peak = localPeak(basis.smooth, Math.round(px), Math.round(py), OBJECT_PEAK_RADIUS);
  const out = new Uint8Array(w * h);
  const peakValue = basis.smooth.data[peak] as number;
  if (peak < 0 || !(peakValue > basis.median)) return { data: out, width: w, height: h };
  const { labels } = labelComponents({ data: thresholdAbove(basis, peakValue, fraction), width: w, height: h }, 8, 1);
  const keep = labels[peak] as number;
  for (let p = 0; p < out.length; p++) out[p] = labels[p] === keep ? 1 : 0;
  return fillSmallHoles({ data: out, width: w, height: h }, EM_MAX_HOLE_AREA);
}

/**
 * Where a crop's map says objects are: the peak of each part of the map above the object
 * threshold of its strongest peak. These are the points a sweep re-explains on centred crops;
 * parts of objects cut by the crop border are found too (their peak sits at the border).
 */
export function objectCandidates(raw: ScalarMap, basis: ObjectMapBasis = objectMapBasis(raw)): Array<{ x: number; y: number }> {
  const { smooth } = basis;
  let max = -Infinity;
  for (const v of smooth.data) if (v > max) max = v;
  if (!(max > basis.median)) return [];
  const { labels, count, sizes } = labelComponents({ data: thresholdAbove(basis, max, CANDIDATE_PROMINENCE_FRACTION), width: smooth.width, height: smooth.height }, 8, 1);
  const peaks = new Int32Array(count + 1).fill(-1);
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p] as number;
    if (l === 0) continue;
    const at = peaks[l] as number;
    if (at < 0 || (smooth.data[p] as number) > (smooth.data[at] as number)) peaks[l] = p;
  }
  const points: Array<{ x: number; y: number }> = [];
  for (let l = 1; l <= count; l++) {
    if ((sizes[l] as number) < MIN_CANDIDATE_AREA) continue;
    const p = peaks[l] as number;
    points.push({ x: p % smooth.width, y: Math.floor(p / smooth.width) });
  }
  return points;
}
