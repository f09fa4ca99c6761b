// A fingerprint of a model's weights: SHA-256 over every array of its manifest, in sorted key
// order, each as its key, its shape and its little-endian float32 bytes. The card is left out,
// so changing a class threshold (which rewrites the manifest) keeps the digest: it names the
// weights a model was fine-tuned from, wherever the files were copied.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readF32Array, readF32Manifest } from './f32Manifest';

export async function weightsDigest(manifestPath: string): Promise<string> {
  const manifest = await readF32Manifest(manifestPath);
  const dir = path.dirname(path.resolve(manifestPath));
  const hash = createHash('sha256');
  for (const key of Object.keys(manifest.arrays).sort()) {
    // readF32Array checks the file stays in the folder and has the manifest's size.
    const arr = await readF32Array(manifest, dir, key);
    hash.update(`${key}\0${arr.shape.join(',')}\0`);
    // The array's bytes as in memory: little-endian, like the file, on every platform we ship for.
    hash.update(new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength));
  }
  return hash.digest('hex');
}
