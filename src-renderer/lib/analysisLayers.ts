// What the sweeps and the review found on one image, drawn on the viewer outside Review mode
// (View mode): every suggestion and added region as a box coloured by its state, their masks,
// and the heat map of the newest sweep's crop scores. The drawing is review mode's own
// (reviewOverlay.ts: reviewBoxes, maskRaster, heatmapRaster; sweepState.ts follows the heat map
// as a sweep streams); this module only loads the image's items and keeps them current. The
// layer toggles (overlays.setVisible) hide and show what is drawn here.
import type { MicraApi } from '../../src-main/api/types';
import { decodeMaskRle } from '../../src-shared/maskRle';
import type { RasterOverlay, VectorLayerName, VectorShapes } from '../viewer/overlays';
import { heatmapRaster, itemKey, maskRaster, reviewBoxes } from '../review/reviewOverlay';
import type { ReviewItem } from '../review/reviewTypes';
import { SweepState } from '../review/sweepState';

/** As in review: light enough that the image stays readable under it. */
const HEATMAP_OPACITY = 0.3;
/** Streamed sweep results arrive many per second: the queue is re-read at most this often. */
const RELOAD_MS = 400;
const MASK_PREFIX = 'view:';

export interface AnalysisLayersSnapshot {
  readonly items: number;
  readonly masks: number;
  readonly heatmap: boolean;
  readonly error: string | null;
}

/** What this module uses of the viewer (DeepZoomViewer as it is; a fake in unit tests). */
export interface AnalysisViewer {
  readonly currentImage: { readonly width: number; readonly height: number } | null;
  readonly overlays: {
    setShapes(layer: VectorLayerName, shapes: VectorShapes): void;
    setMask(id: string, raster: RasterOverlay): void;
    removeMask(id: string): void;
    setHeatmap(raster: RasterOverlay | null): void;
  };
  onDestroy(listener: () => void): () => void;
}

/** Items whose mask is drawn: declined ones are not objects, they keep only their red box. */
function showsMask(item: ReviewItem): boolean {
  return item.state !== 'declined' && item.mask !== null;
}

/**
 * Draws one image's analysis on `viewer` until `detach()`. The viewer must show `imageId`
 * (the caller waits for that: setImage clears every overlay).
 */
export function attachAnalysisLayers(api: MicraApi, viewer: AnalysisViewer, imageId: number, onChange: (s: AnalysisLayersSnapshot) => void): () => void {
  let items: readonly ReviewItem[] = [];
  let maskIds: string[] = [];
  let hasHeatmap = false;
  let error: string | null = null;
  let alive = true;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const notify = (): void => onChange({ items: items.length, masks: maskIds.length, heatmap: hasHeatmap, error });

  const drawItems = (): void => {
    viewer.overlays.setShapes('suggestions', { boxes: reviewBoxes(items, null, null) });
    for (const id of maskIds) viewer.overlays.removeMask(id);
    maskIds = [];
    for (const item of items) {
      if (!showsMask(item) || !item.mask) continue;
      let mask: Uint8Array;
      try {
        mask = decodeMaskRle(item.mask);
      } catch {
        continue; // stored data is untrusted: a malformed mask shows as its box only
      }
      const id = MASK_PREFIX + itemKey(item);
      viewer.overlays.setMask(id, maskRaster(mask, item.box));
      maskIds.push(id);
    }
  };

  const reload = async (): Promise<void> => {
    try {
      const next = await api.invoke('review.queue', { imageId, order: 'spatial' });
      if (!alive) return;
      items = next;
      error = null;
      drawItems();
    } catch (e) {
      if (!alive) return;
      error = `Suggestions could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
    notify();
  };

  const reloadSoon = (): void => {
    if (timer !== null || !alive) return;
    timer = setTimeout(() => {
      timer = null;
      void reload();
    }, RELOAD_MS);
  };

  const sweep = new SweepState(api, imageId, (s) => {
    if (!alive) return;
    const h = s.heatmap;
    const img = viewer.currentImage;
    hasHeatmap = h !== null && h.imageId === imageId && img !== null;
    viewer.overlays.setHeatmap(hasHeatmap && h && img ? heatmapRaster(h, img.width, img.height, HEATMAP_OPACITY) : null);
    notify();
  });

  const offs = [
    api.on('review.suggestions', (e) => {
      if (e.imageId === imageId) reloadSoon();
    }),
    api.on('review.changed', (e) => {
      if (e.imageId === imageId) reloadSoon();
    }),
    // The viewer may end first (its panel is torn down): nothing is drawn after that.
    viewer.onDestroy(() => detach()),
  ];

  function detach(): void {
    if (!alive) return;
    alive = false;
    if (timer !== null) clearTimeout(timer);
    offs.forEach((off) => off());
    sweep.dispose();
    for (const id of maskIds) viewer.overlays.removeMask(id);
    viewer.overlays.setShapes('suggestions', {});
    viewer.overlays.setHeatmap(null);
  }

  void reload();
  void sweep.load();
  return detach;
}
