// Raw tile bodies for the crop grid: neighbouring crops share tiles, so each tile is fetched
// once (concurrent requests for the same tile share one fetch) and kept in a small
// byte-budgeted LRU. A page of 12 crops of 256² touches a handful of 512² tiles.
import type { TileKey } from '../api/tileSource';
import { tileKeyString } from '../viewer/tileGrid';

export type FetchTileBody = (imageId: number, key: TileKey, signal?: AbortSignal) => Promise<ArrayBuffer | null>;

export class TileBodyCache {
  private readonly bodies = new Map<string, ArrayBuffer>();
  private readonly inFlight = new Map<string, Promise<ArrayBuffer | null>>();
  private bytes = 0;

  constructor(
    private readonly fetchBody: FetchTileBody,
    private readonly budgetBytes = 64 * 1024 * 1024,
  ) {}

  get cachedBytes(): number {
    return this.bytes;
  }

  private cacheKey(imageId: number, key: TileKey): string {
    return `${imageId}:${tileKeyString(key)}`;
  }

  /** The tile's raw body (null: the server has no such tile yet). */
  async get(imageId: number, key: TileKey): Promise<ArrayBuffer | null> {
    const k = this.cacheKey(imageId, key);
    const hit = this.bodies.get(k);
    if (hit) {
      // Re-insert: Map order is the LRU order.
      this.bodies.delete(k);
      this.bodies.set(k, hit);
      return hit;
    }
    const pending = this.inFlight.get(k);
    if (pending) return pending;
    const p = this.fetchBody(imageId, key)
      .then((body) => {
        if (body) this.put(k, body);
        return body;
      })
      .finally(() => this.inFlight.delete(k));
    this.inFlight.set(k, p);
    return p;
  }

  /** The bodies of several tiles, keyed by tileKeyString (missing tiles are left out). */
  async getMany(imageId: number, keys: readonly TileKey[]): Promise<Map<string, ArrayBuffer>> {
    const out = new Map<string, ArrayBuffer>();
    const bodies = await Promise.all(keys.map((key) => this.get(imageId, key)));
    keys.forEach((key, i) => {
      const body = bodies[i];
      if (body) out.set(tileKeyString(key), body);
    });
    return out;
  }

  clear(): void {
    this.bodies.clear();
    this.bytes = 0;
  }

  private put(k: string, body: ArrayBuffer): void {
    this.bodies.set(k, body);
    this.bytes += body.byteLength;
    for (const [oldKey, old] of this.bodies) {
      if (this.bytes <= this.budgetBytes || oldKey === k) break;
      this.bodies.delete(oldKey);
      this.bytes -= old.byteLength;
    }
  }
}
