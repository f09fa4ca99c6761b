// The viewer's crop-label tool finds the crop under a click with gridCropAt: it must be the very
// crop of the labelling grid (cropGrid) that contains the point, at edges and in the shifted last
// column/row too.
import { describe, expect, it } from 'vitest';
import { cropGrid, gridCropAt } from '../../../src-shared/cropGrid';

const contains = (c: { x: number; y: number; size: number }, x: number, y: number): boolean => x >= c.x && x < c.x + c.size && y >= c.y && y < c.y + c.size;

describe('gridCropAt', () => {
  it('gives the grid crop containing the point, edges included', () => {
    expect(gridCropAt(0, 0, 1024, 768, 256)).toEqual({ x: 0, y: 0, size: 256 });
    expect(gridCropAt(255.9, 255.9, 1024, 768, 256)).toEqual({ x: 0, y: 0, size: 256 });
    expect(gridCropAt(256, 256, 1024, 768, 256)).toEqual({ x: 256, y: 256, size: 256 });
    expect(gridCropAt(1023.5, 767.5, 1024, 768, 256)).toEqual({ x: 768, y: 512, size: 256 });
  });

  it('gives the shifted last crop past the last whole one, the regular one where they overlap', () => {
    // 600 wide, 256 crops: columns at 0, 256 and the last shifted to 344.
    expect(gridCropAt(520, 10, 600, 300, 256)).toEqual({ x: 344, y: 0, size: 256 });
    expect(gridCropAt(599, 299, 600, 300, 256)).toEqual({ x: 344, y: 44, size: 256 });
    expect(gridCropAt(400, 100, 600, 300, 256)).toEqual({ x: 256, y: 0, size: 256 });
    expect(gridCropAt(511.9, 255.9, 600, 300, 256)).toEqual({ x: 256, y: 0, size: 256 });
  });

  it('gives nothing outside the image or where the image is smaller than a crop', () => {
    expect(gridCropAt(-0.5, 10, 600, 300, 256)).toBeNull();
    expect(gridCropAt(600, 10, 600, 300, 256)).toBeNull();
    expect(gridCropAt(10, 300, 600, 300, 256)).toBeNull();
    expect(gridCropAt(10, 10, 200, 300, 256)).toBeNull();
    expect(gridCropAt(Number.NaN, 10, 600, 300, 256)).toBeNull();
  });

  it('agrees with cropGrid at every pixel of a small image', () => {
    const [w, h, size] = [37, 23, 10];
    const grid = cropGrid(w, h, size);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const c = gridCropAt(x + 0.5, y + 0.5, w, h, size);
        expect(c).not.toBeNull();
        expect(grid).toContainEqual(c);
        expect(contains(c as { x: number; y: number; size: number }, x + 0.5, y + 0.5)).toBe(true);
        expect(c).toEqual(grid.find((g) => contains(g, x + 0.5, y + 0.5)));
      }
    }
  });
});
