// The content hash of an image: sha256 of its stored level-0 samples, prefixed by their shape.
// It depends on the pixels only, not on the file's encoding, so the same image saved as LZW or
// uncompressed, or moved elsewhere, is recognised (duplicates, re-linking a moved original).
import { createHash, type Hash } from 'node:crypto';
import { bytesOfSamples, type Samples } from './raster';

export class ContentHasher {
  private readonly hash: Hash;

  constructor(width: number, height: number, channels: number, bitsPerSample: number) {
    this.hash = createHash('sha256').update(`${width}x${height}x${channels}x${bitsPerSample}\n`);
  }

  /** The next rows of level 0, in order from the top. */
  update(samples: Samples): void {
    this.hash.update(bytesOfSamples(samples));
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
