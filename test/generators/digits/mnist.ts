// Reads the MNIST set in its original gzip IDX files (big-endian header: magic, count, rows,
// cols; then the bytes) and splits it into two disjoint pools, so the cluttered-digit fields of
// training and testing never share a digit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface MnistSet {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols grey levels (0 = background, 255 = ink). */
  images: Uint8Array;
  /** count digit classes 0..9. */
  labels: Uint8Array;
}

export type DigitPool = 'train' | 'test';

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

/** The shared copy of the MNIST test set (../shared/data/mnist relative to the repository). */
export const SHARED_MNIST_DIR = path.resolve(import.meta.dirname, '../../../../shared/data/mnist');

export function loadMnist(dir: string = SHARED_MNIST_DIR, prefix = 't10k'): MnistSet {
  const images = gunzipSync(readFileSync(path.join(dir, `${prefix}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte.gz`)));
  if (images.readUInt32BE(0) !== IMAGES_MAGIC) throw new Error(`not an IDX image file: magic ${images.readUInt32BE(0).toString(16)}`);
  if (labels.readUInt32BE(0) !== LABELS_MAGIC) throw new Error(`not an IDX label file: magic ${labels.readUInt32BE(0).toString(16)}`);
  const count = images.readUInt32BE(4);
  const rows = images.readUInt32BE(8);
  const cols = images.readUInt32BE(12);
  if (labels.readUInt32BE(4) !== count) throw new Error(`${count} images but ${labels.readUInt32BE(4)} labels`);
  if (images.length !== 16 + count * rows * cols || labels.length !== 8 + count) throw new Error('IDX file truncated');
  return {
    count,
    rows,
    cols,
    images: new Uint8Array(images.buffer, images.byteOffset + 16, count * rows * cols),
    labels: new Uint8Array(labels.buffer, labels.byteOffset + 8, count),
  };
}

/** Indices of a pool: even indices train, odd indices test — disjoint by construction. */
export function poolIndices(set: MnistSet, pool: DigitPool): Uint32Array {
  const first = pool === 'train' ? 0 : 1;
  const out = new Uint32Array(Math.floor((set.count - first + 1) / 2));
  for (let k = 0; k < out.length; k++) out[k] = first + 2 * k;
  return out;
}
