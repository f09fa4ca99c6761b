// The PCA map of MICRA-Net (reference README, `pca_map`): the Grad-CAM maps of blocks L1..L7,
// upsampled by repetition to the input size, are a 7-dimensional feature per pixel; the map is
// the first principal-component score (features centred, not whitened). Its sign is fixed with
// the L8 (block 4b) map, it is min–max scaled over the pixels where L8 > 0, and a flip is
// applied as 1 − x after scaling. Also the coarse map: L8 alone, upsampled.
import { BLOCK_NAMES } from '../model/architecture';
import { upsampleNearest, type ScalarMap } from './scalarMap';
import { symmetricEigen } from './symmetricEigen';

const FEATURES = BLOCK_NAMES.length - 1; // L1..L7

function toMaps(maps: readonly Float32Array[], sizes: readonly [number, number][]): ScalarMap[] {
  if (maps.length !== BLOCK_NAMES.length || sizes.length !== maps.length) {
    throw new Error(`expected ${BLOCK_NAMES.length} block maps, got ${maps.length}`);
  }
  return maps.map((data, i) => {
    const [h, w] = sizes[i] as [number, number];
    if (data.length !== h * w) throw new Error(`block map ${i} has ${data.length} values, not ${h}×${w}`);
    return { data, width: w, height: h };
  });
}

/** Block 8's map at the input size (the "coarse" localisation). */
export function coarseMap(
  maps: readonly Float32Array[],
  sizes: readonly [number, number][],
  width: number,
  height: number,
): ScalarMap {
  const l8 = toMaps(maps, sizes)[BLOCK_NAMES.length - 1] as ScalarMap;
  return upsampleNearest(l8, width, height);
}

export function pcaMap(
  maps: readonly Float32Array[],
  sizes: readonly [number, number][],
  width: number,
  height: number,
): ScalarMap {
  const blocks = toMaps(maps, sizes);
  const n = width * height;
  const feats = blocks.slice(0, FEATURES).map((m) => upsampleNearest(m, width, height).data);
  const l8 = upsampleNearest(blocks[FEATURES] as ScalarMap, width, height).data;

  // Means, then the centred covariance (two passes, in float64, for accuracy).
  const mean = new Float64Array(FEATURES);
  for (let j = 0; j < FEATURES; j++) {
    const f = feats[j] as Float32Array;
    let s = 0;
    for (let p = 0; p < n; p++) s += f[p] as number;
    mean[j] = s / n;
  }
  const cov = new Float64Array(FEATURES * FEATURES);
  const centred = new Float64Array(FEATURES);
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < FEATURES; j++) centred[j] = ((feats[j] as Float32Array)[p] as number) - (mean[j] as number);
    for (let i = 0; i < FEATURES; i++) {
      const ci = centred[i] as number;
      for (let j = i; j < FEATURES; j++) cov[i * FEATURES + j] = (cov[i * FEATURES + j] as number) + ci * (centred[j] as number);
    }
  }
  for (let i = 0; i < FEATURES; i++)
    for (let j = 0; j < i; j++) cov[i * FEATURES + j] = cov[j * FEATURES + i] as number;
  const component = symmetricEigen(cov, FEATURES).vectors[0] as Float64Array;

  // Scores, the L8-weighted sum for the sign, and min/max over L8 > 0.
  const scores = new Float32Array(n);
  let weighted = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let j = 0; j < FEATURES; j++) s += (((feats[j] as Float32Array)[p] as number) - (mean[j] as number)) * (component[j] as number);
    scores[p] = s;
    const w = l8[p] as number;
    weighted += s * w;
    if (w > 0) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  if (lo === Infinity) {
    // No pixel with L8 > 0 (nothing detected): scale over the whole crop instead.
    for (let p = 0; p < n; p++) {
      const s = scores[p] as number;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  const flip = weighted < 0;
  const range = hi - lo;
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const x = range > 0 ? ((scores[p] as number) - lo) / range : 0;
    out[p] = flip ? 1 - x : x;
  }
  return { data: out, width, height };
}
