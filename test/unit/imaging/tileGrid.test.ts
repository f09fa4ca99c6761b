import { describe, expect, it } from 'vitest';
import { levelCount, levelSize, levelSizes, tileCountAt, tileRect, totalTileCount } from '../../../src-shared/pyramidGeometry';

describe('tileGrid', () => {
  it('counts levels down to one tile', () => {
    expect(levelCount(512, 512)).toBe(1);
    expect(levelCount(513, 10)).toBe(2);
    expect(levelCount(1024, 1024)).toBe(2);
    expect(levelCount(1025, 3)).toBe(3);
    expect(levelCount(10_240, 10_240)).toBe(6);
    expect(levelCount(25_000, 25_000)).toBe(7);
  });
  it('sizes levels by ceiling halving', () => {
    expect(levelSize(1101, 701, 1)).toEqual([551, 351]);
    expect(levelSize(1101, 701, 2)).toEqual([276, 176]);
    expect(levelSizes(1101, 701)).toEqual([[1101, 701], [551, 351], [276, 176]]);
  });
  it('cuts edge tiles to the remaining pixels', () => {
    expect(tileCountAt(1101, 701, 0)).toEqual({ cols: 3, rows: 2 });
    expect(tileRect(1101, 701, 0, 2, 1)).toEqual({ x: 1024, y: 512, width: 77, height: 189 });
    expect(tileRect(1101, 701, 1, 1, 0)).toEqual({ x: 512, y: 0, width: 39, height: 351 });
    expect(tileRect(1101, 701, 0, 3, 0)).toBeNull();
    expect(tileRect(1101, 701, 0, -1, 0)).toBeNull();
    expect(totalTileCount(1101, 701)).toBe(6 + 2 + 1);
  });
});
