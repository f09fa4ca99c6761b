// Level-of-detail choice: the level whose pixel is as close as possible to the screen pixel
// without being coarser than it, so the image is never shown blurrier than the screen allows.
// Level L's pixel spans 2^L level-0 pixels; the screen pixel spans 1/scale of them.

/** `scale` is screen pixels per level-0 pixel. */
export function selectLevel(scale: number, levelCount: number): number {
  if (!(scale > 0) || levelCount < 1) return 0;
  // The epsilon keeps exact powers of two (scale 0.5 → level 1) from flooring one level too fine.
  const ideal = Math.floor(Math.log2(1 / scale) + 1e-9);
  return Math.min(levelCount - 1, Math.max(0, ideal));
}

/** Level-0 pixels per pixel of `level`. */
export function levelFactor(level: number): number {
  return 2 ** level;
}
