// A region of an image as review and export handle it: a box in level-0 image pixels and a
// 0/1 mask over exactly that box (row-major, one byte per pixel).

export interface MaskRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  /** width × height bytes, 1 inside. */
  mask: Uint8Array;
}

export function maskArea(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
}

/** A full box: what a suggestion without a mask stands for. */
export function boxRegion(x: number, y: number, width: number, height: number): MaskRegion {
  return { x, y, width, height, mask: new Uint8Array(width * height).fill(1) };
}

/**
 * Whether two regions share a pixel or have two 8-adjacent pixels: the test that joins parts
 * of one object cut by a crop border.
 */
export function regionsTouch(a: MaskRegion, b: MaskRegion): boolean {
  if (a.x > b.x + b.width || b.x > a.x + a.width || a.y > b.y + b.height || b.y > a.y + a.height) return false;
  // Walk b's pixels near a's box and look at a's 3 × 3 neighbourhood.
  const x0 = Math.max(b.x, a.x - 1);
  const x1 = Math.min(b.x + b.width, a.x + a.width + 1);
  const y0 = Math.max(b.y, a.y - 1);
  const y1 = Math.min(b.y + b.height, a.y + a.height + 1);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (!b.mask[(y - b.y) * b.width + (x - b.x)]) continue;
      for (let dy = -1; dy <= 1; dy++) {
        const ay = y + dy - a.y;
        if (ay < 0 || ay >= a.height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const ax = x + dx - a.x;
          if (ax >= 0 && ax < a.width && a.mask[ay * a.width + ax]) return true;
        }
      }
    }
  }
  return false;
}

/** The union of regions: their common box and the OR of their masks. */
export function unionRegions(regions: readonly MaskRegion[]): MaskRegion {
  const first = regions[0];
  if (!first) throw new Error('union of no regions');
  let x0 = first.x;
  let y0 = first.y;
  let x1 = first.x + first.width;
  let y1 = first.y + first.height;
  for (const r of regions) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  const width = x1 - x0;
  const height = y1 - y0;
  const mask = new Uint8Array(width * height);
  for (const r of regions) {
    for (let y = 0; y < r.height; y++) {
      const to = (r.y - y0 + y) * width + (r.x - x0);
      for (let x = 0; x < r.width; x++) if (r.mask[y * r.width + x]) mask[to + x] = 1;
    }
  }
  return { x: x0, y: y0, width, height, mask };
}

/** The region cut down to the tight box of its mask pixels; null when the mask is empty. */
export function tightenRegion(r: MaskRegion): MaskRegion | null {
  let minX = r.width;
  let minY = r.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++)
      if (r.mask[y * r.width + x]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
  if (maxX < 0) return null;
  const width = maxX - minX + 1;
  const height = maxY - minY + 1;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) mask.set(r.mask.subarray((minY + y) * r.width + minX, (minY + y) * r.width + minX + width), y * width);
  return { x: r.x + minX, y: r.y + minY, width, height, mask };
}

/** Pixels set in both masks. */
export function overlapArea(a: MaskRegion, b: MaskRegion): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (a.mask[(y - a.y) * a.width + (x - a.x)] && b.mask[(y - b.y) * b.width + (x - b.x)]) n++;
  return n;
}

/** Share of the smaller mask two regions must have in common to be one object. */
export const SAME_OBJECT_OVERLAP = 0.25;

/**
 * Whether two measured regions are one object: their masks share at least a quarter of the
 * smaller one. Every sweep mask is measured on a crop centred on its object, so two findings of
 * one object (from two grid crops, or two runs) overlap nearly whole, while neighbouring objects
 * at most touch along an edge and stay apart.
 */
export function sameObject(a: MaskRegion, b: MaskRegion): boolean {
  if (a.x >= b.x + b.width || b.x >= a.x + a.width || a.y >= b.y + b.height || b.y >= a.y + a.height) return false;
  const smaller = Math.min(maskArea(a.mask), maskArea(b.mask));
  return smaller > 0 && overlapArea(a, b) >= SAME_OBJECT_OVERLAP * smaller;
}

/** Whether image pixel (x, y) is inside the region's mask. */
export function regionContains(r: MaskRegion, x: number, y: number): boolean {
  const i = Math.floor(x) - r.x;
  const j = Math.floor(y) - r.y;
  return i >= 0 && j >= 0 && i < r.width && j < r.height && r.mask[j * r.width + i] === 1;
}
