// Smooth seeded noise for textures: lattice value noise (hashed corners, smoothstep
// interpolation) and a coarse-grid sampler that evaluates a smooth field every few pixels and
// interpolates in between (low-frequency fields do not need a value per pixel).
import { hashUnit } from './prng';

/** Value noise in [−1, 1] at (x, y) with lattice spacing `scale` pixels. */
export function valueNoise(seed: number, salt: number, x: number, y: number, scale: number): number {
  const fx = x / scale;
  const fy = y / scale;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  let tx = fx - ix;
  let ty = fy - iy;
  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  const a = hashUnit(seed, ix, iy, salt);
  const b = hashUnit(seed, ix + 1, iy, salt);
  const c = hashUnit(seed, ix, iy + 1, salt);
  const d = hashUnit(seed, ix + 1, iy + 1, salt);
  const top = a + (b - a) * tx;
  const bottom = c + (d - c) * tx;
  return 2 * (top + (bottom - top) * ty) - 1;
}

/** Two octaves of value noise, in about [−1, 1]. */
export function fractalNoise(seed: number, salt: number, x: number, y: number, scale: number): number {
  return 0.67 * valueNoise(seed, salt, x, y, scale) + 0.33 * valueNoise(seed, salt + 1, x, y, scale / 2);
}

/**
 * A field sampled every `step` pixels over a region and bilinearly interpolated: the cost of a
 * smooth field falls by step² while the result stays smooth.
 */
export class CoarseField {
  private readonly values: Float32Array;
  private readonly cols: number;

  constructor(
    private readonly x0: number,
    private readonly y0: number,
    width: number,
    height: number,
    private readonly step: number,
    sample: (x: number, y: number) => number,
  ) {
    this.cols = Math.ceil(width / step) + 2;
    const rows = Math.ceil(height / step) + 2;
    this.values = new Float32Array(this.cols * rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < this.cols; c++) this.values[r * this.cols + c] = sample(x0 + c * step, y0 + r * step);
  }

  /** Fills out[i] with the value at (xStart + i, y), for i < out.length: one row, no per-pixel calls. */
  row(xStart: number, y: number, out: Float32Array): void {
    const fy = (y - this.y0) / this.step;
    const r = Math.floor(fy);
    const ty = fy - r;
    const v = this.values;
    const base = r * this.cols;
    const inv = 1 / this.step;
    for (let i = 0; i < out.length; i++) {
      const fx = (xStart + i - this.x0) * inv;
      const c = Math.floor(fx);
      const tx = fx - c;
      const a = v[base + c] as number;
      const b = v[base + c + 1] as number;
      const cc = v[base + c + this.cols] as number;
      const d = v[base + c + this.cols + 1] as number;
      const top = a + (b - a) * tx;
      out[i] = top + (cc + (d - cc) * tx - top) * ty;
    }
  }

  /** Value at absolute pixel (x, y), which must lie in the region given to the constructor. */
  at(x: number, y: number): number {
    const fx = (x - this.x0) / this.step;
    const fy = (y - this.y0) / this.step;
    const c = Math.floor(fx);
    const r = Math.floor(fy);
    const tx = fx - c;
    const ty = fy - r;
    const i = r * this.cols + c;
    const v = this.values;
    const top = (v[i] as number) + ((v[i + 1] as number) - (v[i] as number)) * tx;
    const bottom = (v[i + this.cols] as number) + ((v[i + this.cols + 1] as number) - (v[i + this.cols] as number)) * tx;
    return top + (bottom - top) * ty;
  }
}
