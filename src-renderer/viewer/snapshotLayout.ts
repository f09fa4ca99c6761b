// Pure geometry of a snapshot (a PNG of the view or of a region, for figures): which image
// rectangle, at what output scale, and where its scale bar goes. Image rectangles are level-0
// pixels; output sizes are PNG pixels.
import type { ImageRect, Viewport } from './coords';
import { visibleImageRect } from './coords';
import type { ScaleBar } from './scaleBar';
import { scaleBarFor } from './scaleBar';

export type SnapshotResolution = 'screen' | 'full';

/**
 * A full-resolution snapshot is at most this long on its longest side and this many pixels in
 * all (a 40 MP PNG is built in memory as 160 MB of RGBA, and 8192 is the texture size every
 * WebGL2 GPU we target renders to). A larger region is saved scaled down to fit, and says so.
 */
export const SNAPSHOT_MAX_SIDE = 8192;
export const SNAPSHOT_MAX_PIXELS = 40_000_000;

/** The rectangle clipped to the image and grown to whole pixels; null when nothing is left. */
export function snapRect(r: ImageRect, imageWidth: number, imageHeight: number): ImageRect | null {
  const x0 = Math.max(0, Math.floor(r.x0 + 1e-6));
  const y0 = Math.max(0, Math.floor(r.y0 + 1e-6));
  const x1 = Math.min(imageWidth, Math.ceil(r.x1 - 1e-6));
  const y1 = Math.min(imageHeight, Math.ceil(r.y1 - 1e-6));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

/** The part of the image the view shows, in whole pixels. */
export function viewRect(vp: Viewport, imageWidth: number, imageHeight: number): ImageRect | null {
  return snapRect(visibleImageRect(vp), imageWidth, imageHeight);
}

export interface SnapshotSize {
  /** Output pixels per level-0 image pixel. */
  readonly scale: number;
  readonly width: number;
  readonly height: number;
  /** A full-resolution snapshot had to be scaled down to fit the caps. */
  readonly capped: boolean;
}

/**
 * Screen resolution: as many output pixels as the screen shows the region with (device pixels).
 * Full resolution: one output pixel per level-0 pixel, scaled down only to fit the caps.
 */
export function snapshotSize(rect: ImageRect, resolution: SnapshotResolution, vp: Pick<Viewport, 'scale' | 'pixelRatio'>, maxSide = SNAPSHOT_MAX_SIDE): SnapshotSize {
  const w = rect.x1 - rect.x0;
  const h = rect.y1 - rect.y0;
  let scale = resolution === 'screen' ? vp.scale * vp.pixelRatio : 1;
  const fit = Math.min(maxSide / Math.max(w, h), Math.sqrt(SNAPSHOT_MAX_PIXELS / (w * h)));
  const capped = fit < scale;
  if (capped) scale = fit;
  return { scale, width: Math.max(1, Math.floor(w * scale)), height: Math.max(1, Math.floor(h * scale)), capped: capped && resolution === 'full' };
}

export interface SnapshotBarLayout {
  readonly bar: ScaleBar;
  /** The white bar, output pixels (its width is the label's length at the output scale). */
  readonly barRect: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** The dark panel behind bar and label (its width grows to the label when drawn). */
  readonly panel: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly fontPx: number;
  /** Top-left of the label text. */
  readonly textX: number;
  readonly textY: number;
}

/**
 * The scale bar at the bottom left of a `width × height` snapshot whose output scale is `scale`
 * (px per image px): label above the bar on a dark panel, sized with the picture so it reads
 * the same in a screen shot and in an 8000 px figure. Null when the pixel size is unknown or
 * the picture is too small to hold it.
 */
export function snapshotScaleBar(width: number, height: number, pixelSizeNm: number | null, scale: number): SnapshotBarLayout | null {
  const fontPx = Math.round(Math.min(96, Math.max(12, Math.min(width, height) / 40)));
  const margin = Math.round(fontPx * 0.75);
  const pad = Math.round(fontPx / 3);
  const barHeight = Math.max(3, Math.round(fontPx / 3));
  const bar = scaleBarFor(pixelSizeNm, scale, Math.max(40, width / 5));
  if (!bar) return null;
  // Whole output pixels: the bar is drawn crisp, and is at most half a pixel off its label.
  const barWidth = Math.round(bar.widthPx);
  const panelHeight = pad + fontPx + pad + barHeight + pad;
  const panelWidth = barWidth + 2 * pad;
  if (panelWidth + 2 * margin > width || panelHeight + 2 * margin > height) return null;
  const panel = { x: margin, y: height - margin - panelHeight, width: panelWidth, height: panelHeight };
  return {
    bar,
    barRect: { x: panel.x + pad, y: panel.y + pad + fontPx + pad, width: barWidth, height: barHeight },
    panel,
    fontPx,
    textX: panel.x + pad,
    textY: panel.y + pad,
  };
}

/** `name-x0-y0-w×h.png`: says which part of which image, for the figure's file. */
export function snapshotFileName(imageName: string, rect: ImageRect, resolution: SnapshotResolution): string {
  const base = imageName.replace(/\.[a-z0-9]+$/i, '').replace(/[^\w.-]+/g, '_') || 'image';
  return `${base}_x${rect.x0}_y${rect.y0}_${rect.x1 - rect.x0}x${rect.y1 - rect.y0}${resolution === 'full' ? '_full' : ''}.png`;
}
