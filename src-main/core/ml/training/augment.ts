// Training augmentations of one square crop, each applied with probability 0.5: horizontal
// flip, vertical flip, 90° rotation (by 1–3 quarter turns), intensity scale and gamma. The
// geometric ones keep image-level labels valid; the photometric ones mimic contrast and
// brightness differences between acquisitions. Values stay in the preprocessed range.
// Fine-tuning modes with frozen blocks draw only among the 8 dihedral variants (below), a
// finite set whose frozen features can be computed once and cached (featureCache.ts):
// continuous photometric jitter would make every draw a new input to the frozen blocks.
import type { Random } from './seededRandom';

export interface AugmentationOptions {
  /** Intensity scale drawn uniformly from [1 − s, 1 + s]. */
  intensityScale: number;
  /** Gamma drawn log-uniformly from [1/g, g]; applied to values in [0, 1] only. */
  gamma: number;
}

export const DEFAULT_AUGMENTATION: AugmentationOptions = { intensityScale: 0.2, gamma: 1.5 };

/** Returns a new augmented copy of `pixels` ([size, size, channels] interleaved). */
export function augmentCrop(
  pixels: Float32Array,
  size: number,
  channels: number,
  random: Random,
  options: AugmentationOptions = DEFAULT_AUGMENTATION,
): Float32Array {
  let out: Float32Array = Float32Array.from(pixels);
  if (random() < 0.5) out = remap(out, size, channels, (x, y) => [size - 1 - x, y]);
  if (random() < 0.5) out = remap(out, size, channels, (x, y) => [x, size - 1 - y]);
  if (random() < 0.5) {
    const turns = 1 + Math.floor(random() * 3);
    for (let t = 0; t < turns; t++) out = remap(out, size, channels, (x, y) => [y, size - 1 - x]);
  }
  if (random() < 0.5) {
    const s = 1 + (random() * 2 - 1) * options.intensityScale;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * s;
  }
  if (random() < 0.5) {
    const g = Math.exp((random() * 2 - 1) * Math.log(options.gamma));
    for (let i = 0; i < out.length; i++) {
      const v = out[i] as number;
      out[i] = v <= 0 ? v : v >= 1 ? v : Math.pow(v, g);
    }
  }
  return out;
}

/** out(x, y) = in(source(x, y)); square crops only, so rotations keep the shape. */
function remap(src: Float32Array, size: number, channels: number, source: (x: number, y: number) => [number, number]): Float32Array {
  const dst = new Float32Array(src.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const [sx, sy] = source(x, y);
      const from = (sy * size + sx) * channels;
      const to = (y * size + x) * channels;
      for (let c = 0; c < channels; c++) dst[to + c] = src[from + c] as number;
    }
  return dst;
}

/**
 * The 8 symmetries of the square (the geometric part of augmentCrop's draws): variant k is a
 * horizontal flip when k ≥ 4, then k mod 4 quarter turns. Variant 0 is the identity.
 */
export const DIHEDRAL_VARIANTS = 8;

/** Returns `pixels` (variant 0) or a transformed copy. */
export function dihedralVariant(pixels: Float32Array, size: number, channels: number, variant: number): Float32Array {
  if (!Number.isInteger(variant) || variant < 0 || variant >= DIHEDRAL_VARIANTS) throw new Error(`dihedral variant ${variant} is not in 0..7`);
  if (variant === 0) return pixels;
  let out = variant >= 4 ? remap(pixels, size, channels, (x, y) => [size - 1 - x, y]) : pixels;
  for (let t = 0; t < variant % 4; t++) out = remap(out, size, channels, (x, y) => [y, size - 1 - x]);
  return out;
}

/**
 * The variant a sample gets in an epoch: one of its `allowed` variants (see
 * cropVariantSubset), drawn from the per-(epoch, sample) stream that augmentCrop uses, so it
 * depends neither on batching nor on the number of workers.
 */
export function drawDihedralVariant(random: Random, allowed: readonly number[]): number {
  return allowed[Math.floor(random() * allowed.length)] as number;
}

/**
 * The `k` dihedral variants a crop may take in frozen modes: a seeded subset per crop (the
 * identity always among them). The frozen features cost one forward pass per (crop, variant)
 * the first time, so k bounds that cost at crops × k however many epochs run; with all 8, ten
 * epochs would meet about 6 new variants per crop and the cache would save little.
 */
export function cropVariantSubset(random: Random, k: number): number[] {
  const rest = [1, 2, 3, 4, 5, 6, 7];
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rest[i], rest[j]] = [rest[j] as number, rest[i] as number];
  }
  return [0, ...rest].slice(0, Math.max(1, Math.min(DIHEDRAL_VARIANTS, k)));
}
