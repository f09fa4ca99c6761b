// Raw tile bodies for the crop grid: neighbouring crops share tiles, so each tile is fetched
// once (concurrent requests for the same tile share one fetch) and kept in a small
// byte-budgeted LRU (the viewer's ByteBudgetLru; a body has nothing to destroy). A page of 12
// crops of 256² touches a handful of 512² tiles.
import type { TileKey } from '../api/tileSource';
import { ByteBudgetLru } from '../viewer/textureCache';
import { tileKeyString } from '../viewer/tileGrid';

export type FetchTileBody = (imageId: number, key: TileKey, signal?: AbortSignal) => Promise<ArrayBuffer | null>;

export class TileBodyCache {
  private readonly bodies: ByteBudgetLru<{ readonly body: ArrayBuffer; destroy(): void }>;
  private readonly inFlight = new Map<string, Promise<ArrayBuffer | null>>();

  constructor(
    private readonly fetchBody: FetchTileBody,
    budgetBytes = 64 * 1024 * 1024,
  ) {
    this.bodies = new ByteBudgetLru(budgetBytes);
  }

  get cachedBytes(): number {
    return this.bodies.bytes;
  }

  private cacheKey(imageId: number, key: TileKey): string {
    return `${imageId}:${tileKeyString(key)}`;
  }

  /** The tile's raw body (null: the server has no such tile yet). */
  async get(imageId: number, key: TileKey): Promise<ArrayBuffer | null> {
    const k = this.cacheKey(imageId, key);
    const hit = this.bodies.get(k);
    if (hit) return hit.body;
    const pending = this.inFlight.get(k);
    if (pending) return pending;
    const p = this.fetchBody(imageId, key)
      .then((body) => {
        if (body) this.bodies.set(k, { body, destroy: () => undefined }, body.byteLength);
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
  }
}
