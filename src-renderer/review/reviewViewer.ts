// The part of the viewer a review session drives: where it looks, what it draws on top, which
// tiles it loads ahead, and when a view is fully drawn. DeepZoomViewer satisfies it as it is;
// naming only this much lets the session run (and be unit-tested) without Pixi or a canvas.
import type { RasterOverlay, VectorLayerName, VectorShapes } from '../viewer/overlays';
import type { ViewTarget } from './reviewGeometry';

export interface ReviewOverlays {
  setMask(id: string, raster: RasterOverlay): void;
  removeMask(id: string): void;
  setShapes(layer: VectorLayerName, shapes: VectorShapes): void;
}

/** What the session reads of the view: its centre and scale, its size, and tiles still missing. */
export interface ReviewViewState {
  readonly centerX: number;
  readonly centerY: number;
  readonly scale: number;
  readonly width: number;
  readonly height: number;
  /** Visible tiles not on screen yet: 0 once the view is fully drawn. */
  readonly pendingTiles: number;
}

export interface ReviewViewer {
  readonly viewport: { readonly width: number; readonly height: number };
  /** The image on screen (level-0 size), or null. */
  readonly currentImage: { readonly width: number; readonly height: number } | null;
  readonly overlays: ReviewOverlays;
  getState(): ReviewViewState;
  setView(centerX: number, centerY: number, scale: number): void;
  /** Views whose tiles to load ahead (the next items). */
  setPrefetchViews(views: readonly ViewTarget[]): void;
  /** Called after every frame that changed something; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Called once when the viewer is destroyed; returns the unsubscribe. */
  onDestroy(listener: () => void): () => void;
}
