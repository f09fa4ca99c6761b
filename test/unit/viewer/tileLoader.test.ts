import { describe, expect, it } from 'vitest';
import { TileLoader } from '../../../src-renderer/viewer/tileLoader';
import type { TileKey, TilePriority } from '../../../src-renderer/api/tileSource';
import { tileKeyString } from '../../../src-renderer/viewer/tileGrid';

/** A controllable network: each request waits until the test answers it. */
class ManualNetwork {
  readonly requests = new Map<string, { signal: AbortSignal; priority: TilePriority; answer: (b: ArrayBuffer | null) => void }>();
  readonly fetchTile = (tile: TileKey, signal: AbortSignal, priority: TilePriority): Promise<ArrayBuffer | null> =>
    new Promise((resolve) => this.requests.set(tileKeyString(tile), { signal, priority, answer: resolve }));
  /** Requests started and not aborted (answered ones included). */
  live(): string[] {
    return [...this.requests].filter(([, r]) => !r.signal.aborted).map(([k]) => k);
  }
  answer(key: string, body: ArrayBuffer | null): void {
    const r = this.requests.get(key);
    if (!r) throw new Error(`no request for ${key}`);
    r.answer(body);
  }
}

const t = (col: number, row = 0, level = 0): TileKey => ({ level, col, row });
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('TileLoader', () => {
  it('starts requests in priority order up to the concurrency limit', async () => {
    const net = new ManualNetwork();
    const loaded: string[] = [];
    const loader = new TileLoader({ fetchTile: net.fetchTile, maxConcurrent: 2, onLoaded: (k) => loaded.push(tileKeyString(k)) });
    loader.want([t(0), t(1), t(2), t(3)]);
    expect([...net.requests.keys()]).toEqual(['0/0/0', '0/1/0']);
    expect(loader.pending).toBe(4);
    net.answer('0/1/0', new ArrayBuffer(4));
    await flush();
    expect(loaded).toEqual(['0/1/0']);
    expect([...net.requests.keys()]).toEqual(['0/0/0', '0/1/0', '0/2/0']);
    expect(loader.pending).toBe(3);
  });

  it('aborts in-flight requests for tiles that left the view and ignores their late answers', async () => {
    const net = new ManualNetwork();
    const loaded: string[] = [];
    const loader = new TileLoader({ fetchTile: net.fetchTile, maxConcurrent: 3, onLoaded: (k) => loaded.push(tileKeyString(k)) });
    loader.want([t(0), t(1), t(2)]);
    loader.want([t(2), t(5)]);
    expect(net.requests.get('0/0/0')?.signal.aborted).toBe(true);
    expect(net.requests.get('0/1/0')?.signal.aborted).toBe(true);
    expect(net.requests.get('0/2/0')?.signal.aborted).toBe(false);
    expect(net.requests.has('0/5/0')).toBe(true);
    expect(loader.stats.aborted).toBe(2);
    net.answer('0/0/0', new ArrayBuffer(1));
    await flush();
    expect(loaded).toEqual([]);
    expect(loader.pending).toBe(2);
  });

  it('remembers 404s until told the pyramid changed', async () => {
    const net = new ManualNetwork();
    const loader = new TileLoader({ fetchTile: net.fetchTile, maxConcurrent: 4, onLoaded: () => undefined });
    loader.want([t(7)]);
    net.answer('0/7/0', null);
    await flush();
    expect(loader.pending).toBe(0);
    net.requests.clear();
    loader.want([t(7)]);
    expect(net.requests.size).toBe(0);
    loader.forgetMissing();
    loader.want([t(7)]);
    expect(net.requests.has('0/7/0')).toBe(true);
  });

  it('starts ahead (prefetch) tiles only once every urgent tile is on its way, at low priority', async () => {
    const net = new ManualNetwork();
    const loader = new TileLoader({ fetchTile: net.fetchTile, maxConcurrent: 3, onLoaded: () => undefined });
    loader.want([t(0), t(1), t(2), t(3)], [t(10), t(11)]);
    expect(net.live()).toEqual(['0/0/0', '0/1/0', '0/2/0']);
    net.answer('0/0/0', new ArrayBuffer(1));
    await flush();
    // The last urgent tile takes the freed slot, not a prefetch.
    expect(net.live()).toEqual(['0/0/0', '0/1/0', '0/2/0', '0/3/0']);
    net.answer('0/1/0', new ArrayBuffer(1));
    await flush();
    expect(net.requests.get('0/10/0')?.priority).toBe('low');
    expect(net.requests.get('0/3/0')?.priority).toBe('high');
    expect(loader.pending).toBe(4); // 0/2, 0/3 and 0/10 in flight; 0/11 queued
  });

  it('keeps slots free of prefetches for the next view, and aborts prefetches no longer wanted', async () => {
    const net = new ManualNetwork();
    const loader = new TileLoader({ fetchTile: net.fetchTile, maxConcurrent: 4, onLoaded: () => undefined });
    loader.want([], [t(10), t(11), t(12), t(13)]);
    // maxConcurrent − 2 prefetches at most: two slots stay free.
    expect(net.live()).toEqual(['0/10/0', '0/11/0']);
    // The view moved: its urgent tiles start at once, in the free slots; 0/11 is no longer wanted.
    loader.want([t(5), t(6)], [t(10), t(12)]);
    expect(net.requests.get('0/11/0')?.signal.aborted).toBe(true);
    // ...then the other wanted prefetch, up to two prefetches in flight.
    expect(net.live()).toEqual(['0/10/0', '0/5/0', '0/6/0', '0/12/0']);
    expect(net.requests.get('0/5/0')?.priority).toBe('high');
    expect(net.requests.get('0/12/0')?.priority).toBe('low');
    net.answer('0/5/0', new ArrayBuffer(1));
    await flush();
    expect(loader.pending).toBe(3);
    expect(loader.stats.aborted).toBe(1);
  });

  it('lets an urgent tile wait for a slot rather than abort anything still wanted', () => {
    const net = new ManualNetwork();
    const loader = new TileLoader({ fetchTile: net.fetchTile, maxConcurrent: 2, onLoaded: () => undefined });
    loader.want([t(0), t(1)]);
    loader.want([t(0), t(1), t(2)]);
    expect(net.live()).toEqual(['0/0/0', '0/1/0']);
    expect(loader.stats.aborted).toBe(0);
    expect(loader.pending).toBe(3);
  });
});
