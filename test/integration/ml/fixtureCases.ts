// Test helper: the MICRA-Net reference fixture (shared/fixtures/micranet-reference) and the
// comparison measures its README defines.
import path from 'node:path';
import { readF32Array, readF32Manifest, type F32Array, type F32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const fixtureDir = path.resolve(repoRoot, '../shared/fixtures/micranet-reference');
export const fixtureManifest = path.join(fixtureDir, 'manifest.json');
export const CASES = [0, 1, 2] as const;

let manifest: F32Manifest | null = null;

export async function fixtureArray(name: string): Promise<F32Array> {
  manifest ??= await readF32Manifest(fixtureManifest);
  return readF32Array(manifest, fixtureDir, name);
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Intersection over union of two masks (values > 0.5 are inside). */
export function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) > 0.5;
    const y = (b[i] as number) > 0.5;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}
