// The labelling grid of an image: non-overlapping square crops of the model's input size in
// level-0 pixels. When the size does not divide the image, a last column/row is shifted to end
// exactly at the edge (overlapping its neighbour), so every pixel is in a full-size crop; an
// image smaller than a crop gives no crop on that axis.
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

/** A crop of `size` centred on a point, moved inside the image (null when the image is smaller). */
export function centredCrop(cx: number, cy: number, size: number, width: number, height: number): CropRectPx | null {
  if (width < size || height < size) return null;
  const clamp = (v: number, max: number) => Math.min(Math.max(0, v), max);
  return { x: clamp(Math.round(cx - size / 2), width - size), y: clamp(Math.round(cy - size / 2), height - size), size };
}
