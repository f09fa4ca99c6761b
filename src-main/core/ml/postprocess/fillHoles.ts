// Hole filling with skimage.morphology.remove_small_holes' semantics (the reference's): every
// 4-connected component of background smaller than `maxHoleArea` pixels becomes foreground,
// including components that touch the border.
import type { BinaryMask } from '../explain/scalarMap';
import { labelComponents } from './connectedComponents';

export function fillSmallHoles(mask: BinaryMask, maxHoleArea: number): BinaryMask {
  const bg = labelComponents(mask, 4, 0);
  const out = Uint8Array.from(mask.data);
  for (let p = 0; p < out.length; p++) {
    const l = bg.labels[p] as number;
    if (l !== 0 && (bg.sizes[l] as number) < maxHoleArea) out[p] = 1;
  }
  return { data: out, width: mask.width, height: mask.height };
}
