import { describe, expect, it } from 'vitest';
import { parentTile, tileImageRect, tilesCovering, tileSizeAt } from '../../../src-renderer/viewer/tileGrid';

describe('tile grid', () => {
  const level0: [number, number] = [1300, 700];
  it('edge tiles are exactly the remainder', () => {
    expect(tileSizeAt({ level: 0, col: 2, row: 1 }, level0, 512)).toEqual([276, 188]);
    expect(tileSizeAt({ level: 0, col: 0, row: 0 }, level0, 512)).toEqual([512, 512]);
  });
  it('finds the tiles intersecting a rectangle, clamped to the level', () => {
    const tiles = tilesCovering({ x0: 500, y0: -100, x1: 1100, y1: 520 }, 0, level0, 512);
    expect(tiles.map((t) => [t.col, t.row])).toEqual([
      [0, 0], [1, 0], [2, 0],
      [0, 1], [1, 1], [2, 1],
    ]);
    expect(tilesCovering({ x0: 2000, y0: 0, x1: 3000, y1: 100 }, 0, level0, 512)).toEqual([]);
  });
  it('maps coarser levels through the level factor', () => {
    // level 1 of 1300×700 is 650×350: two columns, one row, each covering 1024 level-0 px.
    const tiles = tilesCovering({ x0: 1000, y0: 0, x1: 1100, y1: 10 }, 1, [650, 350], 512);
    expect(tiles).toEqual([{ level: 1, col: 0, row: 0 }, { level: 1, col: 1, row: 0 }]);
    expect(tileImageRect({ level: 1, col: 1, row: 0 }, [650, 350], 512)).toEqual({ x0: 1024, y0: 0, x1: 1300, y1: 700 });
  });
  it('finds parents', () => {
    expect(parentTile({ level: 0, col: 5, row: 2 })).toEqual({ level: 1, col: 2, row: 1 });
    expect(parentTile({ level: 0, col: 5, row: 2 }, 2)).toEqual({ level: 2, col: 1, row: 0 });
  });
});
