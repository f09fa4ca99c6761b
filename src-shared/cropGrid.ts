// The labelling grid of an image: non-overlapping square crops of the model's input size in
// level-0 pixels. When the size does not divide the image, a last column/row is shifted to end
// exactly at the edge (overlapping its neighbour), so every pixel is in a full-size crop; an
// image smaller than a crop gives no crop on that axis. Main pages and labels it
// (core/ml/dataset); the viewer's crop-label tool finds the crop under a click (gridCropAt).
export interface CropRectPx {
  x: number;
  y: number;
  size: number;
}

function positions(extent: number, size: number): number[] {
  if (extent < size) return [];
  const out: number[] = [];
  for (let p = 0; p + size <= extent; p += size) out.push(p);
  if (extent % size !== 0) out.push(extent - size);
  return out;
}

export function cropGrid(width: number, height: number, size: number): CropRectPx[] {
  const out: CropRectPx[] = [];
  for (const y of positions(height, size)) for (const x of positions(width, size)) out.push({ x, y, size });
  return out;
}

/** The start on one axis of the first grid crop (in cropGrid's order) containing `p`; null: none. */
function positionAt(p: number, extent: number, size: number): number | null {
  const starts = positions(extent, size);
  if (starts.length === 0 || !(p >= 0) || p >= extent) return null;
  return starts[Math.min(Math.floor(p / size), starts.length - 1)] ?? null;
}

/**
 * The grid crop containing the level-0 point (x, y): a regular crop before the shifted last
 * one where they overlap; null outside the image or where the image is smaller than a crop.
 */
export function gridCropAt(x: number, y: number, width: number, height: number, size: number): CropRectPx | null {
  const cx = positionAt(x, width, size);
  const cy = positionAt(y, height, size);
  return cx === null || cy === null ? null : { x: cx, y: cy, size };
}

/** A crop of `size` centred on a point, moved inside the image (null when the image is smaller). */
export function centredCrop(cx: number, cy: number, size: number, width: number, height: number): CropRectPx | null {
  if (width < size || height < size) return null;
  const clamp = (v: number, max: number) => Math.min(Math.max(0, v), max);
  return { x: clamp(Math.round(cx - size / 2), width - size), y: clamp(Math.round(cy - size / 2), height - size), size };
}
