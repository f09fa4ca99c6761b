import { describe, expect, it } from 'vitest';
import { TileLoader } from '../../../src-renderer/viewer/tileLoader';
import type { TileKey } from '../../../src-renderer/viewer/tileGrid';
import { tileKeyString } from '../../../src-renderer/viewer/tileGrid';

/** A controllable network: each request waits until the test answers it. */
class ManualNetwork {
  readonly requests = new Map<string, { signal: AbortSignal; answer: (b: ArrayBuffer | null) => void }>();
  readonly fetchTile = (tile: TileKey, signal: AbortSignal): Promise<ArrayBuffer | null> =>
    new Promise((resolve) => this.requests.set(tileKeyString(tile), { signal, answer: resolve }));
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
});
