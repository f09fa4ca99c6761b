// Gaussian smoothing with scipy.ndimage.gaussian_filter's conventions (the reference uses it):
// separable (rows axis first, then columns), kernel truncated at `truncate`·σ (radius
// ⌊truncate·σ + 0.5⌋) and normalised to sum 1, edges replicated (scipy mode 'nearest').
import type { ScalarMap } from '../explain/scalarMap';

export function gaussianKernel1d(sigma: number, truncate = 4): Float64Array {
  if (!(sigma > 0)) throw new Error(`sigma must be positive, got ${sigma}`);
  const radius = Math.floor(truncate * sigma + 0.5);
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / sum;
  return k;
}

export function gaussianFilter(src: ScalarMap, sigma: number, truncate = 4): ScalarMap {
  const { width: w, height: h } = src;
  const k = gaussianKernel1d(sigma, truncate);
  const r = (k.length - 1) / 2;
  // Pass 1: along rows axis (vertical), whole rows at a time for cache-friendly access.
  const tmp = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = -r; i <= r; i++) {
      const sy = Math.min(h - 1, Math.max(0, y + i));
      const kv = k[i + r] as number;
      const so = sy * w;
      for (let x = 0; x < w; x++) tmp[o + x] = (tmp[o + x] as number) + kv * (src.data[so + x] as number);
    }
  }
  // Pass 2: along columns axis (horizontal), over a row padded by replication.
  const out = new Float32Array(w * h);
  const row = new Float64Array(w + 2 * r);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w + 2 * r; x++) row[x] = tmp[o + Math.min(w - 1, Math.max(0, x - r))] as number;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += (k[j] as number) * (row[x + j] as number);
      out[o + x] = s;
    }
  }
  return { data: out, width: w, height: h };
}
