// While an image imports, its pyramid grows level by level, coarsest first, and main says so
// (images.levelReady). The viewer asked for those tiles already and heard "not yet" (404), which
// its loader remembers; on each level of the shown image it asks again, so the image appears
// coarse within moments of the import starting and sharpens as finer levels land, rather than
// staying blank until the whole pyramid (level 0 last) is done.
import type { MicraApi } from '../../src-main/api/types';

/** The part of the viewer that follows a growing pyramid. */
export interface GrowingPyramidView {
  /** The image shown now, if any. */
  readonly currentImage: { readonly id: number } | null;
  /** Forgets which tiles were missing and requests the view's tiles again. */
  refreshTiles(): void;
}

/** Keeps `view` following the pyramids main builds; returns the unsubscribe function. */
export function followPyramidGrowth(api: Pick<MicraApi, 'on'>, view: GrowingPyramidView): () => void {
  return api.on('images.levelReady', ({ imageId }) => {
    if (view.currentImage?.id === imageId) view.refreshTiles();
  });
}
