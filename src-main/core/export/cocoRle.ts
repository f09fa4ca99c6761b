// COCO's uncompressed RLE, as pycocotools reads it (`{"size": [h, w], "counts": [...]}`):
// run lengths over the whole image in column-major (Fortran) order, alternating 0-runs and
// 1-runs, the first a (possibly empty) run of zeros.
import type { MaskRegion } from '../review/maskRegion';

export interface CocoRle {
  size: [number, number];
  counts: number[];
}

export function encodeCocoRle(region: MaskRegion, imageWidth: number, imageHeight: number): CocoRle {
  const counts: number[] = [];
  let runStart = 0;
  let value = 0;
  // Only the box's columns can hold ones; everything else is part of some zero run.
  for (let x = 0; x < region.width; x++) {
    const column = (region.x + x) * imageHeight;
    for (let y = 0; y < region.height; y++) {
      const v = region.mask[y * region.width + x] ? 1 : 0;
      if (v === value) continue;
      const at = column + region.y + y;
      counts.push(at - runStart);
      runStart = at;
      value = v;
    }
    // A run of ones continues into the next column only when the box spans the image's full
    // height (the next index is then the next column's top, also inside the box).
    const fullHeight = region.y === 0 && region.height === imageHeight;
    if (value === 1 && !(fullHeight && x < region.width - 1)) {
      const at = column + region.y + region.height;
      counts.push(at - runStart);
      runStart = at;
      value = 0;
    }
  }
  counts.push(imageWidth * imageHeight - runStart);
  return { size: [imageHeight, imageWidth], counts };
}

/** The full-image mask (row-major) of an RLE: what pycocotools' decode gives, transposed to rows. */
export function decodeCocoRle(rle: CocoRle): Uint8Array {
  const [h, w] = rle.size;
  const out = new Uint8Array(w * h);
  let at = 0;
  rle.counts.forEach((count, i) => {
    if (i % 2 === 1) {
      for (let k = at; k < at + count; k++) {
        const x = Math.floor(k / h);
        const y = k - x * h;
        out[y * w + x] = 1;
      }
    }
    at += count;
  });
  if (at !== w * h) throw new Error(`RLE covers ${at} of ${w * h} pixels`);
  return out;
}
