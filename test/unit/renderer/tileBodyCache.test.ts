import { describe, expect, it } from 'vitest';
import { TileBodyCache } from '../../../src-renderer/training/tileBodyCache';

describe('TileBodyCache', () => {
  it('fetches a tile once for concurrent asks, keeps it, and evicts the oldest over budget', async () => {
    const fetched: string[] = [];
    const cache = new TileBodyCache(async (imageId, key) => {
      fetched.push(`${imageId}/${key.col}`);
      return new ArrayBuffer(100);
    }, 250);
    const a = { level: 0, col: 0, row: 0 };
    const [x, y] = await Promise.all([cache.get(1, a), cache.get(1, a)]);
    expect(x).toBe(y);
    expect(fetched).toEqual(['1/0']);
    await cache.get(1, { level: 0, col: 1, row: 0 });
    await cache.get(1, a); // a is now the most recent
    await cache.get(1, { level: 0, col: 2, row: 0 }); // 300 bytes: col 1 goes
    expect(cache.cachedBytes).toBe(200);
    await cache.get(1, a);
    await cache.get(1, { level: 0, col: 1, row: 0 });
    expect(fetched).toEqual(['1/0', '1/1', '1/2', '1/1']);
  });
});
