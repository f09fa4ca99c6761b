// What names a crop's frozen features: the SHA-256 of its preprocessed pixels (not its index in
// the sample set, which shifts when the expert labels more crops), with the dihedral variant.
// The same digest also seeds the crop's subset of variants (trainLoop.ts), so a crop keeps its
// variants — hence its cached features — from one retrain to the next, wherever it sits in the set.
import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a crop's float32 pixels. */
export function cropDigest(pixels: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)).digest('hex');
}

/** The cache key of (crop, variant): a safe file name. */
export function featureKey(digest: string, variant: number): string {
  return `${digest}_${variant}`;
}

/** A uint32 from a crop digest, for seeding the crop's own random streams. */
export function digestSeed(digest: string): number {
  return Number.parseInt(digest.slice(0, 8), 16) >>> 0;
}

/** Crop digests of one sample set, each computed once per run (a set's crops do not change during a run). */
export class CropDigests {
  private readonly byIndex = new Map<number, string>();

  of(index: number, pixels: Float32Array): string {
    let d = this.byIndex.get(index);
    if (d === undefined) {
      d = cropDigest(pixels);
      this.byIndex.set(index, d);
    }
    return d;
  }
}
