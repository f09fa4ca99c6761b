// The read-only handle e2e tests and benchmarks use: put the view at a known place, then wait
// until every visible tile is on screen (pendingTiles === 0) before reading canvas pixels.
import { imagePoint } from './coords';
import type { DeepZoomViewer, ViewerState } from './deepZoomViewer';

export interface MicraViewerHook {
  getState(): ViewerState;
  setView(centerX: number, centerY: number, scale: number): void;
  fit(): void;
  flyTo(centerX: number, centerY: number, scale: number, durationMs?: number): void;
  frameStats(): { frames: number; medianMs: number; p95Ms: number; maxMs: number };
  resetFrameStats(): void;
  loaderStats(): { started: number; completed: number; aborted: number; missing: number; failed: number };
}

declare global {
  interface Window {
    __micraViewer?: MicraViewerHook;
  }
}

export function installViewerHook(viewer: DeepZoomViewer): () => void {
  const hook: MicraViewerHook = Object.freeze({
    getState: () => viewer.getState(),
    setView: (x: number, y: number, s: number) => viewer.setView(x, y, s),
    fit: () => viewer.fit(),
    flyTo: (x: number, y: number, s: number, ms?: number) => viewer.flyTo(imagePoint(x, y), s, ms),
    frameStats: () => viewer.frames.summary(),
    resetFrameStats: () => viewer.frames.reset(),
    loaderStats: () => viewer.loaderStats(),
  });
  window.__micraViewer = hook;
  return () => {
    if (window.__micraViewer === hook) delete window.__micraViewer;
  };
}
