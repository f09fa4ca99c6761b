// Where the viewer's tile bytes come from, whatever the transport (Viv's idea: one small
// interface hides how pixels arrive). Electron: fetch on the app's own app:// origin. Serve mode:
// streamed batches of tiles, with one request per tile as the fallback.
import type { Endpoint } from './urls';
import { authHeaders, tileUrl } from './urls';

/** A tile of an image's pyramid, by its numbers (src-shared/pyramidGeometry's layout). */
export interface TileKey {
  readonly level: number;
  readonly col: number;
  readonly row: number;
}

/** How soon a tile is wanted: what the view shows now, or a prefetch. */
export type TilePriority = 'high' | 'low';

export interface TileSource {
  /** The tile's raw bytes, or null when the image has no such tile (yet). Rejects when aborted. */
  fetchTile(imageId: number, tile: TileKey, signal: AbortSignal, priority: TilePriority): Promise<ArrayBuffer | null>;
  /** Requests worth having in flight at once on this transport. */
  readonly maxConcurrent: number;
  /** Of those, most for prefetch (the rest stay free for what the view needs next). */
  readonly maxAhead: number;
}

/** fetch() per tile. Over HTTP the browser opens at most six connections to a host. */
export function httpTileSource(endpoint: Endpoint): TileSource {
  const headers = authHeaders(endpoint);
  return {
    maxConcurrent: 6,
    maxAhead: 4,
    async fetchTile(imageId, t, signal, priority) {
      // The priority hint orders our requests in the browser's queue: visible tiles before prefetch.
      const res = await fetch(tileUrl(endpoint, imageId, t.level, t.col, t.row), { signal, priority, headers });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.arrayBuffer();
    },
  };
}
