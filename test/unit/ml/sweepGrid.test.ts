import { describe, expect, it } from 'vitest';
import { gridCrops, spreadOrder, sweepGrid } from '../../../src-main/core/ml/sweep/sweepGrid';

describe('sweep grid', () => {
  it('covers the image with crops ending at its border', () => {
    const grid = sweepGrid(1000, 600, 256, 256);
    expect(grid.xs).toEqual([0, 256, 512, 744]);
    expect(grid.ys).toEqual([0, 256, 344]);
    expect(gridCrops(grid, 1000, 600)).toHaveLength(12);
  });

  it('visits every crop exactly once, coarse lattice first', () => {
    const crops = gridCrops(sweepGrid(10_240, 10_240, 256, 256), 10_240, 10_240); // 40 × 40
    const order = spreadOrder(crops);
    expect(order).toHaveLength(crops.length);
    expect(new Set(order.map((c) => `${c.col},${c.row}`)).size).toBe(crops.length);
    expect(order.slice(0, 4).map((c) => [c.col, c.row])).toEqual([[0, 0], [32, 0], [0, 32], [32, 32]]);
    expect(order.slice(4, 9).map((c) => [c.col, c.row])).toEqual([[16, 0], [0, 16], [16, 16], [32, 16], [16, 32]]);
  });

  it('spreads every prefix over the whole image, unlike row-major order', () => {
    const crops = gridCrops(sweepGrid(10_240, 10_240, 256, 256), 10_240, 10_240);
    const quadrantsOf = (list: typeof crops) => new Set(list.map((c) => `${c.col >= 20 ? 1 : 0}${c.row >= 20 ? 1 : 0}`)).size;
    for (const n of [30, 100, 400]) {
      expect(quadrantsOf(spreadOrder(crops).slice(0, n)), `first ${n}`).toBe(4);
    }
    expect(quadrantsOf(crops.slice(0, 400))).toBe(2); // row-major: the top half only
    // The lower half of the image is reached within the first 2 % of the sweep.
    expect(spreadOrder(crops).findIndex((c) => c.row >= 20)).toBeLessThan(32);
  });
});
