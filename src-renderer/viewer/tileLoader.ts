// Fetches tiles in priority order with bounded concurrency. Each call to `want` replaces the
// wish list: requests for tiles no longer wanted are aborted, so panning fast never leaves a
// queue of stale downloads in front of the tiles the user is looking at.
//
// Two classes of tiles: *urgent* ones (what the view shows now) and *ahead* ones (prefetch: the
// next zoom level, the next review items). Ahead tiles only start when no urgent tile waits,
// and they never take the last slots: over HTTP the browser opens at most six connections per
// host, so a slot held by a prefetch when the view changes is a whole round trip added to what
// the user waits for. (Aborting prefetches to make room measured no better: the CPU the aborted
// transfers had cost was lost, and they were often needed a step later.)
import type { TileKey, TilePriority } from '../api/tileSource';
import { tileKeyString } from './tileGrid';

/** Resolves with the tile's bytes, or null when the tile does not exist (yet): HTTP 404. */
export type FetchTile = (tile: TileKey, signal: AbortSignal, priority: TilePriority) => Promise<ArrayBuffer | null>;

export interface TileLoaderOptions {
  readonly fetchTile: FetchTile;
  readonly maxConcurrent: number;
  /** Most ahead requests in flight at once (default: maxConcurrent − 2, at least 1). */
  readonly maxAhead?: number;
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

interface Request {
  readonly controller: AbortController;
  urgent: boolean;
}

export class TileLoader {
  private readonly inFlight = new Map<string, Request>();
  private urgentQueue: TileKey[] = [];
  private aheadQueue: TileKey[] = [];
  /** Tiles the server answered 404 for; not retried until `forgetMissing`. */
  private readonly missing = new Set<string>();
  readonly stats: TileLoaderStats = { started: 0, completed: 0, aborted: 0, missing: 0, failed: 0 };
  private disposed = false;

  constructor(private readonly options: TileLoaderOptions) {}

  /** Tiles wanted and not yet arrived (queued or in flight); known-missing ones excluded. */
  get pending(): number {
    return this.urgentQueue.length + this.aheadQueue.length + this.inFlight.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Replaces the wish list: `urgent` tiles (priority order) before any `ahead` tile (priority
   * order). Already-cached tiles are left out by the caller.
   */
  want(urgent: readonly TileKey[], ahead: readonly TileKey[] = []): void {
    if (this.disposed) return;
    const wanted = new Map<string, boolean>(); // key → urgent
    const urgentQueue: TileKey[] = [];
    const aheadQueue: TileKey[] = [];
    for (const [tiles, isUrgent, queue] of [
      [urgent, true, urgentQueue],
      [ahead, false, aheadQueue],
    ] as const) {
      for (const t of tiles) {
        const k = tileKeyString(t);
        if (wanted.has(k) || this.missing.has(k)) continue;
        wanted.set(k, isUrgent);
        const req = this.inFlight.get(k);
        if (req) req.urgent = isUrgent;
        else queue.push(t);
      }
    }
    for (const [k, req] of this.inFlight) {
      if (!wanted.has(k)) this.abort(k, req);
    }
    this.urgentQueue = urgentQueue;
    this.aheadQueue = aheadQueue;
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
    this.urgentQueue = [];
    this.aheadQueue = [];
  }

  private abort(key: string, req: Request): void {
    req.controller.abort();
    this.inFlight.delete(key);
    this.stats.aborted++;
  }

  private pump(): void {
    const max = this.options.maxConcurrent;
    while (this.urgentQueue.length > 0 && this.inFlight.size < max) {
      const tile = this.urgentQueue.shift();
      if (tile) this.start(tile, true);
    }
    if (this.urgentQueue.length > 0) return; // ahead tiles only once every urgent one is on its way
    const maxAhead = this.options.maxAhead ?? Math.max(1, max - 2);
    let ahead = 0;
    for (const req of this.inFlight.values()) if (!req.urgent) ahead++;
    while (this.inFlight.size < max && ahead < maxAhead && this.aheadQueue.length > 0) {
      const tile = this.aheadQueue.shift();
      if (tile) {
        this.start(tile, false);
        ahead++;
      }
    }
  }

  private start(tile: TileKey, urgent: boolean): void {
    const key = tileKeyString(tile);
    const controller = new AbortController();
    this.inFlight.set(key, { controller, urgent });
    this.stats.started++;
    this.options.fetchTile(tile, controller.signal, urgent ? 'high' : 'low').then(
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
