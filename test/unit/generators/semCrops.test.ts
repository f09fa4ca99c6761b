import { describe, expect, it } from 'vitest';
import { generateSemCrops, semCropLabel } from '../../generators/sem';

describe('generateSemCrops', () => {
  const crops = generateSemCrops({ seed: 3, cropSize: 256, count: 12 });

  it('returns the requested number of crops, half positive, interleaved', () => {
    expect(crops).toHaveLength(12);
    expect(crops.filter((c) => c.label === 1)).toHaveLength(6);
    expect(crops.slice(0, 4).filter((c) => c.label === 1)).toHaveLength(2);
    for (const c of crops) {
      expect(c.pixels).toHaveLength(256 * 256);
      expect(c.mask).toHaveLength(256 * 256);
    }
  });

  it('labels by the rule: negatives hold no marker centroid and little marker, positives hold one', () => {
    for (const c of crops) {
      let maskPixels = 0;
      for (const v of c.mask) maskPixels += v;
      expect(maskPixels).toBe(c.markerPixels);
      if (c.label === 0) expect(c.markerPixels).toBeLessThan(400);
      else expect(c.markerPixels).toBeGreaterThan(0);
    }
  });

  it('is deterministic', () => {
    const again = generateSemCrops({ seed: 3, cropSize: 256, count: 12 });
    expect(again.map((c) => [c.label, c.source])).toEqual(crops.map((c) => [c.label, c.source]));
    expect(Buffer.from(again[5]?.pixels ?? []).equals(Buffer.from(crops[5]?.pixels ?? [0]))).toBe(true);
  });

  it('counts a crop holding only a marker centroid as positive, a sliver as negative', () => {
    const w = 20;
    const mask = new Uint8Array(w * w);
    for (let y = 8; y < 12; y++) for (let x = 8; x < 12; x++) mask[y * w + x] = 1;
    const marker = { id: 0, cx: 9.5, cy: 9.5, box: [8, 8, 4, 4] as [number, number, number, number], area: 16 };
    expect(semCropLabel([marker], mask, w, 0, 0, 10, 100)).toEqual({ label: 1, markerPixels: 4, covers: [0] });
    expect(semCropLabel([marker], mask, w, 10, 10, 10, 100)).toEqual({ label: 0, markerPixels: 4, covers: [] });
    expect(semCropLabel([marker], mask, w, 10, 10, 10, 4)).toEqual({ label: 1, markerPixels: 4, covers: [0] });
  });

  it('names the markers that make a crop positive, by index: a centroid or a big enough part', () => {
    const w = 40;
    const mask = new Uint8Array(w * w);
    // A: 4×4 at (8, 8), centroid in the crop at the origin; B: 6×6 at (16, 16), 4×4 of it in that crop, centroid outside.
    for (let y = 8; y < 12; y++) for (let x = 8; x < 12; x++) mask[y * w + x] = 1;
    for (let y = 16; y < 22; y++) for (let x = 16; x < 22; x++) mask[y * w + x] = 1;
    const a = { id: 0, cx: 9.5, cy: 9.5, box: [8, 8, 4, 4] as [number, number, number, number], area: 16 };
    const b = { id: 1, cx: 20.5, cy: 20.5, box: [16, 16, 6, 6] as [number, number, number, number], area: 36 };
    expect(semCropLabel([a, b], mask, w, 0, 0, 20, 16)).toEqual({ label: 1, markerPixels: 32, covers: [0, 1] });
    expect(semCropLabel([a, b], mask, w, 0, 0, 20, 17)).toEqual({ label: 1, markerPixels: 32, covers: [0] });
    expect(semCropLabel([a, b], mask, w, 20, 20, 20, 17)).toEqual({ label: 1, markerPixels: 4, covers: [1] });
  });
});
