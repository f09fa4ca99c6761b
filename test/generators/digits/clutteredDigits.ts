// The cluttered-digits benchmark of the MICRA-Net paper: MNIST digits scattered on a 256² field
// by Poisson-disc sampling (radius 25 px), each rotated by up to ±30°, the field blurred with a
// Gaussian of σ in [0, 2) and corrupted with Poisson (shot) noise. Image-level labels say which
// digits are present (10 classes, multi-hot); the digit masks are the segmentation truth.
//
// Choices where the paper leaves room (documented so results can be compared):
//   - digits keep their native 28 px size; centres are kept ≥ 14 px from the field edges;
//   - `size` may shrink the field for reduced-scale runs (digits stay 28 px, so fewer fit);
//   - a digit's mask is where its rotated (bilinear) grey level is ≥ 0.5, before blur and noise;
//     class masks are the union of that class's digit masks (a digit partly covered by another
//     still counts); the instance mask gives each pixel to the digit brightest there;
//   - noise: photon counts ~ Poisson(PHOTONS · v + BACKGROUND_PHOTONS) for a blurred intensity
//     v ∈ [0, 1], divided by PHOTONS and clipped to [0, 1].
import { deriveSeed, mulberry32, poisson, randomInt, uniform, type Random } from '../sem/prng';
import { loadMnist, poolIndices, type DigitPool, type MnistSet } from './mnist';
import { poissonDiscSample } from './poissonDisc';

export const FIELD_SIZE = 256;
export const DISC_RADIUS = 25;
export const MAX_DIGITS = 20;
export const MAX_ROTATION_DEG = 30;
export const MAX_BLUR_SIGMA = 2;
const PHOTONS = 40;
const BACKGROUND_PHOTONS = 1;
const MASK_LEVEL = 0.5;
const EDGE_MARGIN = 14;

export interface DigitInstance {
  /** Value of this digit in instanceMask (1-based). */
  id: number;
  digit: number;
  /** Index of the source image in the MNIST set. */
  mnistIndex: number;
  cx: number;
  cy: number;
  angleDeg: number;
}

export interface ClutteredDigits {
  size: number;
  /** size² intensities in [0, 1], row-major. */
  pixels: Float32Array;
  /** Multi-hot: labels[c] = 1 when digit c is present. */
  labels: Uint8Array;
  /** One 0/1 mask (size²) per class 0..9. */
  classMasks: Uint8Array[];
  /** size² digit ids (0 = background, else instances[id − 1]). */
  instanceMask: Uint8Array;
  instances: DigitInstance[];
  blurSigma: number;
}

export interface ClutteredDigitsOptions {
  seed: number;
  pool: DigitPool;
  /** Digits wanted (capped by how many fit); default uniform in 1..20. */
  count?: number;
  /** The MNIST set; default: the shared copy, loaded once. */
  mnist?: MnistSet;
  /** Side of the field; default FIELD_SIZE (the paper's 256). Must leave room inside the edge margins. */
  size?: number;
}

let sharedMnist: MnistSet | null = null;

export function generateClutteredDigits(options: ClutteredDigitsOptions): ClutteredDigits {
  const mnist = options.mnist ?? (sharedMnist ??= loadMnist());
  const pool = poolIndices(mnist, options.pool);
  // The pool name enters the seed too, so train and test fields differ even for equal seeds.
  const rand = mulberry32(deriveSeed(options.seed, options.pool === 'train' ? 1 : 2));
  const size = options.size ?? FIELD_SIZE;
  if (!Number.isInteger(size) || size <= 2 * EDGE_MARGIN) throw new RangeError(`size must be an integer > ${2 * EDGE_MARGIN}, got ${size}`);
  const wanted = options.count ?? randomInt(rand, 1, MAX_DIGITS);
  if (!Number.isInteger(wanted) || wanted < 0) throw new RangeError(`count must be a non-negative integer, got ${wanted}`);
  const spots = poissonDiscSample(rand, EDGE_MARGIN, EDGE_MARGIN, size - EDGE_MARGIN, size - EDGE_MARGIN, DISC_RADIUS);
  // Bridson's points grow outward from the first one: shuffle so a prefix spreads over the field.
  for (let i = spots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [spots[i], spots[j]] = [spots[j] as (typeof spots)[number], spots[i] as (typeof spots)[number]];
  }
  const n = Math.min(wanted, spots.length);
  const field = new Float32Array(size * size);
  const brightest = new Float32Array(size * size);
  const instanceMask = new Uint8Array(size * size);
  const classMasks = Array.from({ length: 10 }, () => new Uint8Array(size * size));
  const labels = new Uint8Array(10);
  const instances: DigitInstance[] = [];
  for (let k = 0; k < n; k++) {
    const spot = spots[k] as { x: number; y: number };
    const mnistIndex = pool[Math.floor(rand() * pool.length)] as number;
    const digit = mnist.labels[mnistIndex] as number;
    const angleDeg = uniform(rand, -MAX_ROTATION_DEG, MAX_ROTATION_DEG);
    const id = k + 1;
    instances.push({ id, digit, mnistIndex, cx: spot.x, cy: spot.y, angleDeg });
    labels[digit] = 1;
    stampDigit(mnist, mnistIndex, size, spot.x, spot.y, angleDeg, (p, v) => {
      if (v > (field[p] as number)) field[p] = v;
      if (v >= MASK_LEVEL) {
        (classMasks[digit] as Uint8Array)[p] = 1;
        if (v > (brightest[p] as number)) {
          brightest[p] = v;
          instanceMask[p] = id;
        }
      }
    });
  }
  const blurSigma = uniform(rand, 0, MAX_BLUR_SIGMA);
  const blurred = gaussianBlur(field, size, blurSigma);
  const pixels = addShotNoise(blurred, rand);
  return { size, pixels, labels, classMasks, instanceMask, instances, blurSigma };
}

/** Calls put(pixelIndex, value) for each field pixel the rotated digit covers (value > 0). */
function stampDigit(mnist: MnistSet, index: number, size: number, cx: number, cy: number, angleDeg: number, put: (p: number, v: number) => void): void {
  const { rows, cols, images } = mnist;
  const base = index * rows * cols;
  const a = (angleDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const half = Math.ceil(Math.hypot(rows, cols) / 2) + 1;
  const mid = (cols - 1) / 2;
  const sample = (u: number, v: number): number => (u < 0 || v < 0 || u >= cols || v >= rows ? 0 : (images[base + v * cols + u] as number));
  for (let y = Math.max(0, Math.floor(cy) - half); y <= Math.min(size - 1, Math.floor(cy) + half); y++) {
    for (let x = Math.max(0, Math.floor(cx) - half); x <= Math.min(size - 1, Math.floor(cx) + half); x++) {
      // Inverse rotation: where in the digit image this field pixel comes from.
      const dx = x - cx;
      const dy = y - cy;
      const u = cos * dx + sin * dy + mid;
      const v = -sin * dx + cos * dy + mid;
      const u0 = Math.floor(u);
      const v0 = Math.floor(v);
      if (u0 < -1 || v0 < -1 || u0 >= cols || v0 >= rows) continue;
      const tu = u - u0;
      const tv = v - v0;
      const top = sample(u0, v0) * (1 - tu) + sample(u0 + 1, v0) * tu;
      const bottom = sample(u0, v0 + 1) * (1 - tu) + sample(u0 + 1, v0 + 1) * tu;
      const value = (top * (1 - tv) + bottom * tv) / 255;
      if (value > 0) put(y * size + x, value);
    }
  }
}

function gaussianBlur(src: Float32Array, size: number, sigma: number): Float32Array {
  if (sigma < 0.05) return Float32Array.from(src);
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / sum;
  // Zero outside the field (the field's background is 0 anyway).
  const pass = (input: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let acc = 0;
        for (let t = -radius; t <= radius; t++) {
          const xx = horizontal ? x + t : x;
          const yy = horizontal ? y : y + t;
          if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
          acc += (input[yy * size + xx] as number) * (kernel[t + radius] as number);
        }
        out[y * size + x] = acc;
      }
    }
    return out;
  };
  return pass(pass(src, true), false);
}

function addShotNoise(intensity: Float32Array, rand: Random): Float32Array {
  const out = new Float32Array(intensity.length);
  for (let i = 0; i < intensity.length; i++) {
    const counts = poisson(rand, PHOTONS * (intensity[i] as number) + BACKGROUND_PHOTONS);
    out[i] = Math.min(1, counts / PHOTONS);
  }
  return out;
}
