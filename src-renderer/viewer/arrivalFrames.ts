// When a tile arrives, does the screen need a new frame, and how soon? Every frame costs the
// whole canvas on the GPU (in a software-GL browser, tens of milliseconds of CPU, taken from
// the very downloads the view is waiting for), so arrivals only draw when they change what is
// seen, and the arrivals of one view change are grouped: the last tile the view waits for draws
// at once; the ones before it at most once per `PROGRESSIVE_FRAME_MS`, so the view still fills
// in progressively.
import type { ImageRect } from './coords';
import type { TileKey } from '../api/tileSource';

/** 'now': draw in the next animation frame; 'soon': within the progressive interval; 'none': nothing on screen changes. */
export type ArrivalFrame = 'now' | 'soon' | 'none';

export const PROGRESSIVE_FRAME_MS = 250;

export interface ArrivalContext {
  /** The level the view draws. */
  readonly level: number;
  /** The view, in level-0 pixels. */
  readonly view: ImageRect;
  /** The arrived tile's rectangle, in level-0 pixels. */
  readonly tileRect: ImageRect;
  /** Visible tiles of `level` still not in the cache (and not known to be missing), after this arrival. */
  readonly stillMissing: number;
}

const intersects = (a: ImageRect, b: ImageRect): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

export function frameForArrival(tile: TileKey, c: ArrivalContext): ArrivalFrame {
  // Finer than the view (zoom-in prefetch) or off screen (pan prefetch, review items): cached, not drawn.
  if (tile.level < c.level || !intersects(c.tileRect, c.view)) return 'none';
  if (tile.level === c.level) return c.stillMissing === 0 ? 'now' : 'soon';
  // Coarser: drawn only as a stand-in under a tile of the view's level that is not there yet.
  return c.stillMissing > 0 ? 'soon' : 'none';
}

/** Milliseconds to wait before a 'soon' frame, given when the last frame was drawn. */
export function progressiveDelay(lastFrameAt: number, now: number, intervalMs = PROGRESSIVE_FRAME_MS): number {
  return Math.max(0, lastFrameAt + intervalMs - now);
}
