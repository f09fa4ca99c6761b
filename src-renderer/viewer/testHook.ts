// The read-only handle e2e tests and benchmarks use: put the view at a known place, then wait
// until every visible tile is on screen (pendingTiles === 0) before reading canvas pixels.
import { imagePoint } from './coords';
import type { DeepZoomViewer, ViewerState } from './deepZoomViewer';
import type { Rgb } from './overlayRaster';
import type { OverlayStatus } from './overlays';
import { heatmapToRgba, maskToRgba } from './overlayRaster';

export interface MicraViewerHook {
  getState(): ViewerState;
  setView(centerX: number, centerY: number, scale: number): void;
  fit(): void;
  flyTo(centerX: number, centerY: number, scale: number, durationMs?: number): void;
  frameStats(): { frames: number; medianMs: number; p95Ms: number; maxMs: number };
  resetFrameStats(): void;
  loaderStats(): { started: number; completed: number; aborted: number; missing: number; failed: number };
  /** Shows a mask (one byte per pixel of the w×h rectangle at x, y; 0 = off) on the masks layer. */
  setMask(id: string, x: number, y: number, w: number, h: number, mask: number[], color: Rgb, opacity: number): void;
  /** Shows a cols×rows score grid (0..1) stretched over an image rectangle on the heat-map layer. */
  setHeatmap(x: number, y: number, w: number, h: number, cols: number, rows: number, scores: number[], opacity: number): void;
  /** Replaces the suggestions layer's boxes ([x, y, w, h] in image pixels). */
  setSuggestionBoxes(boxes: { box: [number, number, number, number]; status: OverlayStatus }[]): void;
}

declare global {
  interface Window {
    __micraViewer?: MicraViewerHook;
  }
}

export function installViewerHook(viewer: DeepZoomViewer): () => void {
  const hook: MicraViewerHook = Object.freeze<MicraViewerHook>({
    getState: () => viewer.getState(),
    setView: (x: number, y: number, s: number) => viewer.setView(x, y, s),
    fit: () => viewer.fit(),
    flyTo: (x: number, y: number, s: number, ms?: number) => viewer.flyTo(imagePoint(x, y), s, ms),
    frameStats: () => viewer.frames.summary(),
    resetFrameStats: () => viewer.frames.reset(),
    loaderStats: () => viewer.loaderStats(),
    setMask: (id, x, y, w, h, mask, color, opacity) =>
      viewer.overlays.setMask(id, {
        rect: { x0: x, y0: y, x1: x + w, y1: y + h },
        width: w,
        height: h,
        rgba: maskToRgba(Uint8Array.from(mask), color, opacity),
        smooth: false,
      }),
    setHeatmap: (x, y, w, h, cols, rows, scores, opacity) =>
      viewer.overlays.setHeatmap({
        rect: { x0: x, y0: y, x1: x + w, y1: y + h },
        width: cols,
        height: rows,
        rgba: heatmapToRgba(Float32Array.from(scores), opacity),
        smooth: true,
      }),
    setSuggestionBoxes: (boxes) =>
      viewer.overlays.setShapes('suggestions', {
        boxes: boxes.map((b, i) => ({ id: `s${i}`, status: b.status, rect: { x0: b.box[0], y0: b.box[1], x1: b.box[0] + b.box[2], y1: b.box[1] + b.box[3] } })),
      }),
  });
  window.__micraViewer = hook;
  return () => {
    if (window.__micraViewer === hook) delete window.__micraViewer;
  };
}
