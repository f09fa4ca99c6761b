// Warms the browser's HTTP cache with the tiles the viewer will need for the next suggestion,
// while the expert is still looking at the current one, so the next one draws from memory.
// Tiles are served with `cache-control: private, max-age=…`, so the viewer's own fetch of the
// same URL is then a cache hit. Requests that are no longer wanted are aborted.
import type { Endpoint } from '../api/urls';
import { tileUrl } from '../api/urls';
import { imagePoint } from '../viewer/coords';
import type { Viewport } from '../viewer/coords';
import type { ViewerImage } from '../viewer/deepZoomViewer';
import { selectLevel } from '../viewer/lod';
import type { TileKey } from '../viewer/tileGrid';
import { tileKeyString } from '../viewer/tileGrid';
import { planTiles } from '../viewer/tilePriority';
import type { ViewTarget } from './reviewGeometry';

/** The tiles a view needs (coarsest level first, then the visible tiles of its level). */
export function tilesForView(image: ViewerImage, target: ViewTarget, width: number, height: number, pixelRatio: number): TileKey[] {
  const vp: Viewport = { center: imagePoint(target.centerX, target.centerY), scale: target.scale, width, height, pixelRatio };
  const level = selectLevel(target.scale, image.levelSizes.length);
  return planTiles(vp, level, image, null).requests.filter((t) => t.level >= level);
}

export class TilePrefetcher {
  private controller: AbortController | null = null;
  private readonly warmed = new Set<string>();

  constructor(private readonly endpoint: Endpoint) {}

  /** Prefetches `tiles` of `imageId`, aborting the previous prefetch's unfinished requests. */
  prefetch(imageId: number, tiles: readonly TileKey[]): void {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    for (const t of tiles) {
      const key = `${imageId}:${tileKeyString(t)}`;
      if (this.warmed.has(key)) continue;
      fetch(tileUrl(this.endpoint, imageId, t.level, t.col, t.row), { signal: controller.signal })
        .then(async (res) => {
          // Reading the body is what lets the cache entry complete.
          await res.arrayBuffer();
          if (res.ok) this.warmed.add(key);
        })
        .catch(() => undefined);
    }
  }

  dispose(): void {
    this.controller?.abort();
    this.controller = null;
  }
}
