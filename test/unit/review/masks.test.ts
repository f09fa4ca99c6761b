// Mask encodings (row-major RLE of the API, COCO's column-major RLE), region merging, pixel-edge
// tracing and the shown-area union, against hand-made cases and brute force.
import { describe, expect, it } from 'vitest';
import { decodeCocoRle, encodeCocoRle } from '../../../src-main/core/export/cocoRle';
import { traceMask } from '../../../src-main/core/export/maskOutline';
import { maskArea, regionsTouch, tightenRegion, unionRegions, type MaskRegion } from '../../../src-main/core/review/maskRegion';
import { decodeMaskRle, encodeMaskRle } from '../../../src-shared/maskRle';
import { unionArea } from '../../../src-main/core/review/rectUnion';
import { nearestNeighbourTour } from '../../../src-main/core/review/spatialOrder';
import { axisOrigins } from '../../../src-main/core/ml/sweep/sweepGrid';

function randomRegion(seed: number, x: number, y: number, w: number, h: number): MaskRegion {
  let s = seed;
  const mask = new Uint8Array(w * h).map(() => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) % 3 === 0 ? 1 : 0;
  });
  return { x, y, width: w, height: h, mask };
}

describe('row-major mask RLE', () => {
  it('round-trips and starts with a zero run', () => {
    const m = Uint8Array.from([1, 1, 0, 0, 0, 1]);
    expect(encodeMaskRle(m, 3, 2).counts).toEqual([0, 2, 3, 1]);
    for (let seed = 1; seed < 20; seed++) {
      const r = randomRegion(seed, 0, 0, 7, 5);
      expect(decodeMaskRle(encodeMaskRle(r.mask, 7, 5))).toEqual(r.mask);
    }
  });
  it('rejects runs that do not cover the mask', () => {
    expect(() => decodeMaskRle({ width: 2, height: 2, counts: [1, 1] })).toThrow(/cover/);
  });
});

describe('COCO RLE', () => {
  it('is column-major over the whole image', () => {
    // 3 × 2 image, region = pixel (1, 0) and (1, 1): column-major indices 2 and 3.
    const rle = encodeCocoRle({ x: 1, y: 0, width: 1, height: 2, mask: Uint8Array.from([1, 1]) }, 3, 2);
    expect(rle).toEqual({ size: [2, 3], counts: [2, 2, 2] });
  });
  it('decodes to the painted region for boxes anywhere, including at the image edges', () => {
    const W = 9;
    const H = 6;
    const boxes: Array<[number, number, number, number]> = [[0, 0, 9, 6], [2, 1, 4, 3], [5, 0, 4, 6], [0, 3, 3, 3], [8, 5, 1, 1]];
    boxes.forEach(([x, y, w, h], k) => {
      const r = randomRegion(k + 3, x, y, w, h);
      const full = decodeCocoRle(encodeCocoRle(r, W, H));
      for (let yy = 0; yy < H; yy++)
        for (let xx = 0; xx < W; xx++) {
          const inBox = xx >= x && yy >= y && xx < x + w && yy < y + h;
          expect(full[yy * W + xx]).toBe(inBox ? r.mask[(yy - y) * w + (xx - x)] : 0);
        }
    });
  });
});

describe('regions', () => {
  const a: MaskRegion = { x: 0, y: 0, width: 2, height: 2, mask: Uint8Array.from([0, 0, 0, 1]) };
  it('touch across a border only when pixels are 8-adjacent', () => {
    expect(regionsTouch(a, { x: 2, y: 2, width: 1, height: 1, mask: Uint8Array.from([1]) })).toBe(true);
    expect(regionsTouch(a, { x: 2, y: 0, width: 1, height: 1, mask: Uint8Array.from([1]) })).toBe(true);
    expect(regionsTouch(a, { x: 3, y: 1, width: 1, height: 1, mask: Uint8Array.from([1]) })).toBe(false);
    expect(regionsTouch(a, { x: 0, y: 0, width: 1, height: 1, mask: Uint8Array.from([1]) })).toBe(true);
    expect(regionsTouch(a, { x: 3, y: 3, width: 1, height: 1, mask: Uint8Array.from([1]) })).toBe(false);
  });
  it('unite into the common box with the OR of the masks, and tighten', () => {
    const u = unionRegions([a, { x: 2, y: 2, width: 1, height: 1, mask: Uint8Array.from([1]) }]);
    expect([u.x, u.y, u.width, u.height]).toEqual([0, 0, 3, 3]);
    expect(Array.from(u.mask)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(tightenRegion(u)).toMatchObject({ x: 1, y: 1, width: 2, height: 2 });
    expect(maskArea(u.mask)).toBe(2);
  });
});

describe('tracing', () => {
  it('gives polygons whose area is the pixel count, holes subtracted', () => {
    const ring = (pts: Array<[number, number]>) => {
      let s = 0;
      for (let i = 0; i < pts.length; i++) {
        const [x0, y0] = pts[i]!;
        const [x1, y1] = pts[(i + 1) % pts.length]!;
        s += x0 * y1 - x1 * y0;
      }
      return Math.abs(s / 2);
    };
    // A 5 × 5 square with a 1-pixel hole, offset by (10, 20).
    const mask = new Uint8Array(25).fill(1);
    mask[12] = 0;
    const polys = traceMask({ x: 10, y: 20, width: 5, height: 5, mask });
    expect(polys).toHaveLength(1);
    expect(polys[0]!.outer).toHaveLength(4);
    expect(polys[0]!.holes).toHaveLength(1);
    expect(ring(polys[0]!.outer) - ring(polys[0]!.holes[0]!)).toBe(24);
    expect(Math.min(...polys[0]!.outer.map((p) => p[0]))).toBe(10);
    for (let seed = 1; seed < 10; seed++) {
      const r = randomRegion(seed, 0, 0, 12, 9);
      const area = traceMask(r).reduce((s, p) => s + ring(p.outer) - p.holes.reduce((h, q) => h + ring(q), 0), 0);
      expect(area).toBe(maskArea(r.mask));
    }
  });
});

describe('shown area and order', () => {
  it('unions rectangles exactly', () => {
    expect(unionArea([{ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 5, width: 10, height: 10 }])).toBe(175);
    expect(unionArea([{ x: 0, y: 0, width: 4, height: 4 }, { x: 1, y: 1, width: 2, height: 2 }])).toBe(16);
    expect(unionArea([])).toBe(0);
  });
  it('tours from the best item to its nearest neighbours', () => {
    const items = [
      { id: 1, box: [0, 0, 10, 10] as const, score: 0.6 },
      { id: 2, box: [1000, 0, 10, 10] as const, score: 0.9 },
      { id: 3, box: [20, 0, 10, 10] as const, score: 0.99 },
      { id: 4, box: [980, 0, 10, 10] as const, score: 0.7 },
    ];
    expect(nearestNeighbourTour(items).map((i) => i.id)).toEqual([3, 1, 4, 2]);
  });
  it('lays crops over every pixel, the last shifted to the border', () => {
    expect(axisOrigins(1024, 256, 256)).toEqual([0, 256, 512, 768]);
    expect(axisOrigins(1000, 256, 256)).toEqual([0, 256, 512, 744]);
    expect(axisOrigins(100, 256, 256)).toEqual([0]);
    expect(axisOrigins(512, 256, 128)).toEqual([0, 128, 256]);
  });
});
