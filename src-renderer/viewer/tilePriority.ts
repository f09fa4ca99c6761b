// Order in which tiles are requested (OpenSeadragon's rule): first the coarsest level under
// the view (tiny, and it guarantees something to draw everywhere), then the visible tiles of
// the chosen level nearest the centre first, then one level ahead in the direction of the
// last zoom so the next step is already there.
import type { Viewport } from './coords';
import { visibleImageRect } from './coords';
import type { TileKey } from '../api/tileSource';
import { tileImageRect, tileKeyString, tilesCovering } from './tileGrid';

export type ZoomDirection = 'in' | 'out';

export interface PyramidShape {
  readonly levelSizes: readonly (readonly [number, number])[];
  readonly tileSize: number;
}

export interface TilePlan {
  /** Tiles of `level` the view needs, nearest the centre first. */
  readonly visible: TileKey[];
  /** What the view needs now: the coarsest level's tiles under it, then `visible`. */
  readonly urgent: TileKey[];
  /** Prefetch: the visible area one level ahead in the zoom direction (none of `urgent`). */
  readonly ahead: TileKey[];
  /** Every tile to request, in priority order: `urgent` then `ahead`. */
  readonly requests: TileKey[];
}

function byDistanceToCentre(tiles: TileKey[], vp: Viewport, shape: PyramidShape): TileKey[] {
  const dist = (t: TileKey): number => {
    const size = shape.levelSizes[t.level];
    if (!size) return Infinity;
    const r = tileImageRect(t, size, shape.tileSize);
    const dx = (r.x0 + r.x1) / 2 - vp.center.x;
    const dy = (r.y0 + r.y1) / 2 - vp.center.y;
    return dx * dx + dy * dy;
  };
  return tiles
    .map((t) => ({ t, d: dist(t) }))
    .sort((a, b) => a.d - b.d)
    .map((e) => e.t);
}

export function planTiles(vp: Viewport, level: number, shape: PyramidShape, lastZoom: ZoomDirection | null): TilePlan {
  const rect = visibleImageRect(vp);
  const covering = (l: number): TileKey[] => {
    const size = shape.levelSizes[l];
    return size ? byDistanceToCentre(tilesCovering(rect, l, size, shape.tileSize), vp, shape) : [];
  };
  const top = shape.levelSizes.length - 1;
  const visible = covering(level);
  const seen = new Set<string>();
  const distinct = (groups: TileKey[][]): TileKey[] => {
    const out: TileKey[] = [];
    for (const group of groups) {
      for (const t of group) {
        const k = tileKeyString(t);
        if (!seen.has(k)) {
          seen.add(k);
          out.push(t);
        }
      }
    }
    return out;
  };
  const urgent = distinct(level < top ? [covering(top), visible] : [visible]);
  const aheadLevel = lastZoom === 'in' ? level - 1 : level + 1;
  const ahead = distinct(aheadLevel >= 0 && aheadLevel < top ? [covering(aheadLevel)] : []);
  return { visible, urgent, ahead, requests: [...urgent, ...ahead] };
}
