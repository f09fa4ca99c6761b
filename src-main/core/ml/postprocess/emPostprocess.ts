// The EM post-processing of the reference (README, `precise_mask`): from the σ1-smoothed PCA map
// (`precise_raw`), pad by 1 (zeros), smooth with σ = 5, keep pixels above the 90th percentile,
// fill background holes smaller than 2500 px (4-connected), keep the 8-connected region holding
// the position of precise_raw's maximum, crop the padding.
import type { BinaryMask, ScalarMap } from '../explain/scalarMap';
import { labelComponents } from './connectedComponents';
import { fillSmallHoles } from './fillHoles';
import { gaussianFilter } from './gaussian';
import { percentile } from './percentile';

export const EM_SIGMA = 5;
export const EM_PERCENTILE = 90;
export const EM_MAX_HOLE_AREA = 2500;
/** σ of the smoothing that turns the PCA map into `precise_raw`. */
export const PRECISE_RAW_SIGMA = 1;

/** precise_raw = pca_map smoothed with σ = 1. */
export function preciseRaw(pca: ScalarMap): ScalarMap {
  return gaussianFilter(pca, PRECISE_RAW_SIGMA);
}

/** Index of the first maximum in row-major order (numpy's argmax). */
function argmax(data: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** The EM mask's candidate parts: labels of the thresholded, hole-filled map, on the padded grid. */
export interface EmParts {
  /** 8-connected component label per pixel of the (w + 2) × (h + 2) padded grid; 0 = background. */
  labels: Int32Array;
  paddedWidth: number;
}

export function emParts(raw: ScalarMap): EmParts {
  const { width: w, height: h } = raw;
  const pw = w + 2;
  const ph = h + 2;
  const padded = new Float32Array(pw * ph);
  for (let y = 0; y < h; y++) padded.set(raw.data.subarray(y * w, (y + 1) * w), (y + 1) * pw + 1);
  const smooth = gaussianFilter({ data: padded, width: pw, height: ph }, EM_SIGMA);
  const threshold = percentile(smooth.data, EM_PERCENTILE);
  const above = new Uint8Array(pw * ph);
  for (let p = 0; p < above.length; p++) above[p] = (smooth.data[p] as number) > threshold ? 1 : 0;
  const filled = fillSmallHoles({ data: above, width: pw, height: ph }, EM_MAX_HOLE_AREA);
  return { labels: labelComponents(filled, 8, 1).labels, paddedWidth: pw };
}

/** The part labelled `keep`, with the padding cropped (all zeros when keep is 0). */
export function emPart(parts: EmParts, keep: number, width: number, height: number): BinaryMask {
  const out = new Uint8Array(width * height);
  if (keep !== 0) {
    for (let y = 0; y < height; y++) {
      const so = (y + 1) * parts.paddedWidth + 1;
      for (let x = 0; x < width; x++) out[y * width + x] = parts.labels[so + x] === keep ? 1 : 0;
    }
  }
  return { data: out, width, height };
}

export function emPostprocess(raw: ScalarMap): BinaryMask {
  const { width: w, height: h } = raw;
  const parts = emParts(raw);
  const peak = argmax(raw.data);
  const px = peak % w;
  const py = (peak - px) / w;
  return emPart(parts, parts.labels[(py + 1) * parts.paddedWidth + (px + 1)] as number, w, h);
}
