// A fingerprint of a model's weights: SHA-256 over every array of its manifest, in sorted key
// order, each as its key, its shape and its little-endian float32 bytes. The card is left out,
// so changing a class threshold (which rewrites the manifest) keeps the digest: it names the
// weights a model was fine-tuned from, wherever the files were copied.
// digestOfArrays is the same fingerprint over arrays already in memory (training's frozen-part
// digest, frozenDigest.ts, hashes a subset of a network's variables this way).
import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import { readF32Array, readF32Manifest } from './f32Manifest';

export interface NamedArray {
  key: string;
  shape: readonly number[];
  data: Float32Array;
}

/** Adds one array to a weights hash: its key, its shape, then its bytes. */
function updateWithArray(hash: Hash, a: NamedArray): void {
  hash.update(`${a.key}\0${a.shape.join(',')}\0`);
  // The array's bytes as in memory: little-endian, like the file, on every platform we ship for.
  hash.update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
}

/** weightsDigest's fingerprint over arrays in memory (hashed in sorted key order). */
export function digestOfArrays(arrays: readonly NamedArray[]): string {
  const hash = createHash('sha256');
  for (const a of [...arrays].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))) updateWithArray(hash, a);
  return hash.digest('hex');
}

export async function weightsDigest(manifestPath: string): Promise<string> {
  const manifest = await readF32Manifest(manifestPath);
  const dir = path.dirname(path.resolve(manifestPath));
  const hash = createHash('sha256');
  // One array in memory at a time (a model's weights are read file by file).
  for (const key of Object.keys(manifest.arrays).sort()) {
    // readF32Array checks the file stays in the folder and has the manifest's size.
    const arr = await readF32Array(manifest, dir, key);
    updateWithArray(hash, { key, shape: arr.shape, data: arr.data });
  }
  return hash.digest('hex');
}
