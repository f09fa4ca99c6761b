// Measurements of digitised shapes whose true values are known: area, perimeter (within the
// tolerances the estimator is documented for), centroid, equivalent diameter, and µm.
import { describe, expect, it } from 'vitest';
import { inMicrometres, measureRegion } from '../../../src-main/core/metrics/objectMeasurements';
import type { MaskRegion } from '../../../src-main/core/review/maskRegion';

/** Pixels whose centres satisfy `inside`, over a box at (x0, y0). */
function shape(x0: number, y0: number, width: number, height: number, inside: (cx: number, cy: number) => boolean): MaskRegion {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inside(x0 + x + 0.5, y0 + y + 0.5)) mask[y * width + x] = 1;
  return { x: x0, y: y0, width, height, mask };
}

const disc = (cx: number, cy: number, r: number): MaskRegion => {
  const x0 = Math.floor(cx - r) - 2;
  const y0 = Math.floor(cy - r) - 2;
  const side = Math.ceil(2 * r) + 5;
  return shape(x0, y0, side, side, (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r);
};

const relative = (got: number, want: number): number => Math.abs(got / want - 1);

describe('object measurements', () => {
  it('measures an axis-aligned square exactly, perimeter short only by its rounded corners', () => {
    for (const side of [20, 50, 100]) {
      const m = measureRegion(shape(100, 200, side + 4, side + 4, (x, y) => x > 102 && x < 102 + side && y > 202 && y < 202 + side));
      expect(m.areaPx).toBe(side * side);
      expect(m.centroidX).toBeCloseTo(102 + side / 2, 10);
      expect(m.centroidY).toBeCloseTo(202 + side / 2, 10);
      expect(m.equivalentDiameterPx).toBeCloseTo(2 * Math.sqrt((side * side) / Math.PI), 10);
      // The four corners, rounded by the smoothing, cost a constant ≈ 2.6 px.
      expect(4 * side - m.perimeterPx).toBeGreaterThan(2);
      expect(4 * side - m.perimeterPx).toBeLessThan(3);
    }
  });

  it('measures discs within 1.5 % of 2πr and equal-area diameters within 1 %', () => {
    for (const r of [5, 10, 25, 50, 100]) {
      const cx = 1000.3;
      const cy = 500.7;
      const m = measureRegion(disc(cx, cy, r));
      expect(relative(m.areaPx, Math.PI * r * r)).toBeLessThan(r >= 10 ? 0.01 : 0.05);
      expect(relative(m.perimeterPx, 2 * Math.PI * r)).toBeLessThan(0.015);
      expect(relative(m.equivalentDiameterPx, 2 * r)).toBeLessThan(r >= 10 ? 0.005 : 0.02);
      expect(Math.abs(m.centroidX - cx)).toBeLessThan(r >= 10 ? 0.05 : 0.15);
      expect(Math.abs(m.centroidY - cy)).toBeLessThan(r >= 10 ? 0.05 : 0.15);
    }
  });

  it('measures rotated squares and an ellipse within 1.5 %', () => {
    for (const angle of [0.2, 0.4, Math.PI / 4]) {
      const side = 60;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      const m = measureRegion(shape(0, 0, 100, 100, (x, y) => Math.abs(c * (x - 50) + s * (y - 50)) <= side / 2 && Math.abs(-s * (x - 50) + c * (y - 50)) <= side / 2));
      expect(relative(m.areaPx, side * side)).toBeLessThan(0.01);
      expect(relative(m.perimeterPx, 4 * side)).toBeLessThan(0.015);
    }
    const [a, b] = [60, 20];
    const h = ((a - b) / (a + b)) ** 2;
    const ramanujan = Math.PI * (a + b) * (1 + (3 * h) / (10 + Math.sqrt(4 - 3 * h)));
    const m = measureRegion(shape(0, 0, 130, 50, (x, y) => ((x - 65) / a) ** 2 + ((y - 25) / b) ** 2 <= 1));
    expect(relative(m.perimeterPx, ramanujan)).toBeLessThan(0.015);
  });

  it('counts a hole in the perimeter and never goes below the disc of equal area', () => {
    const ring = measureRegion(shape(0, 0, 120, 120, (x, y) => {
      const d = Math.hypot(x - 60, y - 60);
      return d <= 50 && d > 30;
    }));
    expect(relative(ring.perimeterPx, 2 * Math.PI * (50 + 30))).toBeLessThan(0.015);
    const dot = measureRegion({ x: 7, y: 9, width: 1, height: 1, mask: Uint8Array.from([1]) });
    expect(dot).toEqual({ areaPx: 1, perimeterPx: 2 * Math.sqrt(Math.PI), equivalentDiameterPx: 2 / Math.sqrt(Math.PI), centroidX: 7.5, centroidY: 9.5 });
    expect(measureRegion({ x: 0, y: 0, width: 2, height: 2, mask: new Uint8Array(4) }).areaPx).toBe(0);
  });

  it('converts to µm with the pixel size (nm per pixel), and only when it is known', () => {
    const m = measureRegion(shape(0, 0, 14, 14, (x, y) => x > 2 && x < 12 && y > 2 && y < 12));
    expect(m.areaPx).toBe(100);
    const um = inMicrometres(m, 5)!;
    expect(um.areaUm2).toBeCloseTo(100 * 0.005 ** 2, 12);
    expect(um.perimeterUm).toBeCloseTo(m.perimeterPx * 0.005, 12);
    expect(um.equivalentDiameterUm).toBeCloseTo(m.equivalentDiameterPx * 0.005, 12);
    expect(um.centroidXUm).toBeCloseTo(7 * 0.005, 12);
    expect(um.centroidYUm).toBeCloseTo(7 * 0.005, 12);
    expect(inMicrometres(m, null)).toBeNull();
    expect(inMicrometres(m, 0)).toBeNull();
  });
});
