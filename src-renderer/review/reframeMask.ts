// Re-framing a review mask onto an adjusted box (the mask codec itself is src-shared/maskRle).
import type { Box } from './reviewTypes';

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
