// Masks as the MicraApi carries them: run lengths over the box, row-major, alternating 0-runs and
// 1-runs starting with a (possibly empty) 0-run. The renderer's own copy of the codec (it may not
// import core code), plus re-framing a mask onto an adjusted box.
import type { Box, MaskRle } from './reviewTypes';

export function decodeMask(rle: MaskRle): Uint8Array {
  const n = rle.width * rle.height;
  const mask = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < rle.counts.length; i++) {
    const count = rle.counts[i] as number;
    if (!Number.isInteger(count) || count < 0 || at + count > n) throw new Error('mask runs do not fit the mask size');
    if (i % 2 === 1) mask.fill(1, at, at + count);
    at += count;
  }
  if (at !== n) throw new Error(`mask runs cover ${at} of ${n} pixels`);
  return mask;
}

export function encodeMask(mask: Uint8Array, width: number, height: number): MaskRle {
  if (mask.length !== width * height) throw new Error(`mask of ${mask.length} bytes is not ${width}×${height}`);
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] ? 1 : 0;
    if (v !== value) {
      counts.push(run);
      value = v;
      run = 0;
    }
    run++;
  }
  counts.push(run);
  return { width, height, counts };
}

/**
 * The mask of `from` seen through the box `to` (both level-0 [x, y, w, h]): pixels of the old
 * mask inside the new box keep their value, new pixels outside the old box are off. A box
 * without a mask (null) counts as fully on, so growing such a box keeps the old area only.
 */
export function reframeMask(mask: Uint8Array | null, from: Box, to: Box): Uint8Array {
  const [fx, fy, fw, fh] = from;
  const [tx, ty, tw, th] = to;
  const out = new Uint8Array(tw * th);
  const x0 = Math.max(fx, tx);
  const x1 = Math.min(fx + fw, tx + tw);
  const y0 = Math.max(fy, ty);
  const y1 = Math.min(fy + fh, ty + th);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      out[(y - ty) * tw + (x - tx)] = mask ? (mask[(y - fy) * fw + (x - fx)] as number) : 1;
    }
  }
  return out;
}
