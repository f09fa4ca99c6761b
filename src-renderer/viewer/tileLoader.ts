// Fetches tiles in priority order with bounded concurrency. Each call to `want` replaces the
// wish list: requests for tiles no longer wanted are aborted, so panning fast never leaves a
// queue of stale downloads in front of the tiles the user is looking at.
import type { TileKey } from './tileGrid';
import { tileKeyString } from './tileGrid';

/** Resolves with the tile's bytes, or null when the tile does not exist (yet): HTTP 404. */
export type FetchTile = (tile: TileKey, signal: AbortSignal) => Promise<ArrayBuffer | null>;

export interface TileLoaderOptions {
  readonly fetchTile: FetchTile;
  readonly maxConcurrent: number;
  readonly onLoaded: (tile: TileKey, bytes: ArrayBuffer) => void;
  readonly onError?: (tile: TileKey, error: unknown) => void;
}

export interface TileLoaderStats {
  started: number;
  completed: number;
  aborted: number;
  missing: number;
  failed: number;
}

export class TileLoader {
  private readonly inFlight = new Map<string, { tile: TileKey; controller: AbortController }>();
  private queue: TileKey[] = [];
  /** Tiles the server answered 404 for; not retried until `forgetMissing`. */
  private readonly missing = new Set<string>();
  readonly stats: TileLoaderStats = { started: 0, completed: 0, aborted: 0, missing: 0, failed: 0 };
  private disposed = false;

  constructor(private readonly options: TileLoaderOptions) {}

  /** Tiles wanted and not yet arrived (queued or in flight); known-missing ones excluded. */
  get pending(): number {
    return this.queue.length + this.inFlight.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Replaces the wish list with `tiles` (priority order; already-cached tiles left out). */
  want(tiles: readonly TileKey[]): void {
    if (this.disposed) return;
    const wanted = new Set<string>();
    const queue: TileKey[] = [];
    for (const t of tiles) {
      const k = tileKeyString(t);
      if (wanted.has(k) || this.missing.has(k)) continue;
      wanted.add(k);
      if (!this.inFlight.has(k)) queue.push(t);
    }
    for (const [k, req] of this.inFlight) {
      if (!wanted.has(k)) {
        req.controller.abort();
        this.inFlight.delete(k);
        this.stats.aborted++;
      }
    }
    this.queue = queue;
    this.pump();
  }

  isMissing(tile: TileKey): boolean {
    return this.missing.has(tileKeyString(tile));
  }

  /** The pyramid grew (import progressed): tiles that were 404 may exist now. */
  forgetMissing(): void {
    this.missing.clear();
  }

  dispose(): void {
    this.disposed = true;
    for (const req of this.inFlight.values()) req.controller.abort();
    this.inFlight.clear();
    this.queue = [];
  }

  private pump(): void {
    while (this.inFlight.size < this.options.maxConcurrent && this.queue.length > 0) {
      const tile = this.queue.shift();
      if (tile) this.start(tile);
    }
  }

  private start(tile: TileKey): void {
    const key = tileKeyString(tile);
    const controller = new AbortController();
    this.inFlight.set(key, { tile, controller });
    this.stats.started++;
    this.options.fetchTile(tile, controller.signal).then(
      (bytes) => {
        if (this.inFlight.get(key)?.controller !== controller) return; // aborted or superseded
        this.inFlight.delete(key);
        if (bytes === null) {
          this.missing.add(key);
          this.stats.missing++;
        } else {
          this.stats.completed++;
          this.options.onLoaded(tile, bytes);
        }
        this.pump();
      },
      (error: unknown) => {
        if (this.inFlight.get(key)?.controller !== controller) return;
        this.inFlight.delete(key);
        this.stats.failed++;
        // A failed tile is treated like a missing one until the next refresh, so a broken
        // tile cannot make the loader spin.
        this.missing.add(key);
        this.options.onError?.(tile, error);
        this.pump();
      },
    );
  }
}
