// Seeded randomness for the test-data generators (never Math.random, so a seed always gives the
// same bytes). Two kinds:
//   - a sequential PRNG (mulberry32) for things drawn in order (marker placement, digit picks);
//   - a stateless integer hash of (seed, x, y, salt) for everything tied to a position, so a
//     large image can be generated tile by tile, in any order, without seams.

import type { Random } from '../../../src-main/core/ml/training/seededRandom';
export type { Random };

/** The same mulberry32 the training code seeds its streams with. */
export { mulberry32 } from '../../../src-main/core/ml/training/seededRandom';

/** Derives an independent seed for a sub-stream (e.g. one per crop, one per field). */
export function deriveSeed(seed: number, stream: number): number {
  return hash3(seed, stream, 0x5eed, 0x51);
}

/** murmur3's 32-bit finaliser over a mix of the inputs: a well-spread uint32. */
export function hash3(seed: number, x: number, y: number, salt: number): number {
  let h = (seed ^ Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(salt | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** hash3 mapped to [0, 1). */
export function hashUnit(seed: number, x: number, y: number, salt: number): number {
  return hash3(seed, x, y, salt) / 4294967296;
}

export function uniform(rand: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

export function randomInt(rand: Random, lo: number, hiInclusive: number): number {
  return lo + Math.floor(rand() * (hiInclusive - lo + 1));
}

/** Standard normal by Box–Muller. */
export function gaussian(rand: Random): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Poisson sample: Knuth's product method for small means, a rounded normal above 30. */
export function poisson(rand: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rand)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}
