// Measurements of one object from its mask: area, perimeter, centroid and equivalent diameter,
// in image pixels and, when the image's pixel size is known, in µm. The one place these numbers
// are computed: the measurement table, every export and the API read them from here.
//
// Conventions: level-0 image pixels; pixel (x, y) covers [x, x+1) × [y, y+1), so a centroid is
// the mean of pixel centres (x + 0.5, y + 0.5) — the coordinates the viewer, QuPath and the
// GeoJSON outlines (traced along pixel edges) use.
//
// Perimeter estimator: the length of the 0.5 iso-contour (marching squares, linear
// interpolation) of the mask smoothed once by the 3 × 3 binomial kernel [1 2 1]ᵀ[1 2 1] / 16,
// never less than the perimeter of the disc of equal area (the isoperimetric bound, which only
// matters for objects of a few pixels). Why this one: the boundary crack length (pixel edges)
// is 4/π ≈ 27 % too long on a disc and on any edge that is not axis-aligned, and the 8-connected
// contour through boundary pixel centres (Freeman chain, skimage's `perimeter`) is about 5 % too
// long on discs of radius ≥ 50 and too short on small squares. Measured on digitised shapes
// (test/unit/metrics/objectMeasurements.test.ts): discs of radius 3–100 within 1.5 %, ellipses
// and squares rotated by any angle within 1.5 %, axis-aligned squares short by a constant ≈ 2.6 px
// (the four rounded corners: −1.3 % at side 50, −0.7 % at side 100).
import type { MaskRegion } from '../review/maskRegion';

export interface PixelMeasurements {
  /** Mask pixels. */
  areaPx: number;
  perimeterPx: number;
  /** Diameter of the disc of the same area, px. */
  equivalentDiameterPx: number;
  /** Mean of the pixel centres, image pixels. */
  centroidX: number;
  centroidY: number;
}

export interface PhysicalMeasurements {
  areaUm2: number;
  perimeterUm: number;
  equivalentDiameterUm: number;
  centroidXUm: number;
  centroidYUm: number;
}

/** Binomial weights of the 3 × 3 smoothing kernel (sum 16). */
const KERNEL = [1, 2, 1];
const THRESHOLD = 8; // 0.5 × 16

/**
 * The mask smoothed by the binomial kernel, in sixteenths, over the box grown by one pixel on
 * every side (so the contour closes): (w + 2) × (h + 2) values 0…16.
 */
function smoothed(region: MaskRegion): { values: Uint8Array; width: number; height: number } {
  const { width: w, height: h, mask } = region;
  const W = w + 2;
  const H = h + 2;
  // Horizontal pass into rows of the grown box, then the vertical pass.
  const horizontal = new Uint8Array(W * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      const at = y * W + x; // grown column x+1 is the pixel itself; x and x+2 its neighbours
      horizontal[at] = (horizontal[at] as number) + 1;
      horizontal[at + 1] = (horizontal[at + 1] as number) + 2;
      horizontal[at + 2] = (horizontal[at + 2] as number) + 1;
    }
  }
  const values = new Uint8Array(W * H);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < W; x++) {
      const v = horizontal[y * W + x] as number;
      if (v === 0) continue;
      for (let k = 0; k < 3; k++) {
        const at = (y + k) * W + x;
        values[at] = (values[at] as number) + v * (KERNEL[k] as number);
      }
    }
  }
  return { values, width: W, height: H };
}

/** Length of the THRESHOLD iso-contour of a grid of values (marching squares). */
function contourLength(values: Uint8Array, width: number, height: number): number {
  let length = 0;
  const cross = (v0: number, v1: number): number => (THRESHOLD - v0) / (v1 - v0);
  const pts: Array<[number, number]> = [];
  // The grown box's border values are below the threshold (at most 4/16), so every contour
  // closes inside the grid.
  for (let y = 0; y + 1 < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      const a = values[y * width + x] as number; // top-left
      const b = values[y * width + x + 1] as number; // top-right
      const c = values[(y + 1) * width + x + 1] as number; // bottom-right
      const d = values[(y + 1) * width + x] as number; // bottom-left
      const ia = a >= THRESHOLD;
      const ib = b >= THRESHOLD;
      const ic = c >= THRESHOLD;
      const id = d >= THRESHOLD;
      if (ia === ib && ib === ic && ic === id) continue;
      pts.length = 0;
      if (ia !== ib) pts.push([x + cross(a, b), y]); // top
      if (ib !== ic) pts.push([x + 1, y + cross(b, c)]); // right
      if (id !== ic) pts.push([x + cross(d, c), y + 1]); // bottom
      if (ia !== id) pts.push([x, y + cross(a, d)]); // left
      const seg = (p: [number, number], q: [number, number]): number => Math.hypot(p[0] - q[0], p[1] - q[1]);
      if (pts.length === 2) {
        length += seg(pts[0] as [number, number], pts[1] as [number, number]);
      } else {
        // Saddle (a, c on one side, b, d on the other): the cell centre's value decides which
        // corners the contour cuts off.
        const [top, right, bottom, left] = pts as Array<[number, number]>;
        const centreInside = (a + b + c + d) / 4 >= THRESHOLD;
        if (centreInside === ia) length += seg(top!, right!) + seg(bottom!, left!);
        else length += seg(top!, left!) + seg(right!, bottom!);
      }
    }
  }
  return length;
}

/** Area, perimeter, centroid and equivalent diameter of a region's mask, in image pixels. */
/**
 * A region's pixel count and the mean pixel index (x, y) of its mask, in image pixels (pixel
 * (i, j) counted at (i, j); its centre is half a pixel further). The box's corner when empty.
 */
export function regionMoments(region: MaskRegion): { area: number; x: number; y: number } {
  const { x: x0, y: y0, width: w, height: h, mask } = region;
  if (mask.length !== w * h) throw new RangeError(`mask of ${mask.length} bytes is not ${w}×${h}`);
  let area = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < h; y++) {
    let rowCount = 0;
    let rowSumX = 0;
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      rowCount++;
      rowSumX += x;
    }
    area += rowCount;
    sumX += rowSumX;
    sumY += rowCount * y;
  }
  return area === 0 ? { area: 0, x: x0, y: y0 } : { area, x: x0 + sumX / area, y: y0 + sumY / area };
}

export function measureRegion(region: MaskRegion): PixelMeasurements {
  const { x: x0, y: y0, width: w, height: h } = region;
  const { area, x: meanX, y: meanY } = regionMoments(region);
  if (area === 0) return { areaPx: 0, perimeterPx: 0, equivalentDiameterPx: 0, centroidX: x0 + w / 2, centroidY: y0 + h / 2 };
  const { values, width, height } = smoothed(region);
  const discPerimeter = 2 * Math.sqrt(Math.PI * area);
  return {
    areaPx: area,
    perimeterPx: Math.max(contourLength(values, width, height), discPerimeter),
    equivalentDiameterPx: 2 * Math.sqrt(area / Math.PI),
    centroidX: meanX + 0.5,
    centroidY: meanY + 0.5,
  };
}

/** The same measurements in µm (pixel size in nm per pixel, square pixels); null when unknown. */
export function inMicrometres(m: PixelMeasurements, pixelSizeNm: number | null): PhysicalMeasurements | null {
  if (pixelSizeNm === null || !Number.isFinite(pixelSizeNm) || pixelSizeNm <= 0) return null;
  const um = pixelSizeNm / 1000;
  return {
    areaUm2: m.areaPx * um * um,
    perimeterUm: m.perimeterPx * um,
    equivalentDiameterUm: m.equivalentDiameterPx * um,
    centroidXUm: m.centroidX * um,
    centroidYUm: m.centroidY * um,
  };
}
