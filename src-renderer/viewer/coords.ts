// Coordinate spaces of the viewer. Image points are level-0 pixels of the image; screen points
// are CSS pixels of the canvas. Branding keeps the two from being mixed up silently.
declare const imageSpace: unique symbol;
declare const screenSpace: unique symbol;

export type ImagePoint = { readonly x: number; readonly y: number; readonly [imageSpace]: true };
export type ScreenPoint = { readonly x: number; readonly y: number; readonly [screenSpace]: true };

export const imagePoint = (x: number, y: number): ImagePoint => ({ x, y }) as ImagePoint;
export const screenPoint = (x: number, y: number): ScreenPoint => ({ x, y }) as ScreenPoint;

/** What the viewer shows: which image point sits at the canvas centre, and how large. */
export interface Viewport {
  readonly center: ImagePoint;
  /** Screen (CSS) pixels per level-0 image pixel. */
  readonly scale: number;
  /** Canvas size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Device pixels per CSS pixel; the image origin is snapped to whole device pixels. */
  readonly pixelRatio: number;
}

/** Axis-aligned rectangle in level-0 image pixels (x1, y1 exclusive). */
export interface ImageRect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * Screen position of image point (0, 0). Snapped (down) to whole device pixels so that at 1:1
 * every screen pixel centre falls on a texel centre: nearest sampling then shows the exact
 * source value, and image pixel `center` lands on screen pixel floor(width / 2).
 */
export function screenOrigin(vp: Viewport): ScreenPoint {
  // The epsilon absorbs float error (2.9999999 must snap to 3, not 2).
  const snap = (v: number): number => Math.floor(v * vp.pixelRatio + 1e-6) / vp.pixelRatio;
  return screenPoint(snap(vp.width / 2 - vp.center.x * vp.scale), snap(vp.height / 2 - vp.center.y * vp.scale));
}

export function imageToScreen(vp: Viewport, p: ImagePoint): ScreenPoint {
  const o = screenOrigin(vp);
  return screenPoint(o.x + p.x * vp.scale, o.y + p.y * vp.scale);
}

export function screenToImage(vp: Viewport, p: ScreenPoint): ImagePoint {
  const o = screenOrigin(vp);
  return imagePoint((p.x - o.x) / vp.scale, (p.y - o.y) / vp.scale);
}

/** The part of the image plane the canvas shows (may extend past the image). */
export function visibleImageRect(vp: Viewport): ImageRect {
  const a = screenToImage(vp, screenPoint(0, 0));
  const b = screenToImage(vp, screenPoint(vp.width, vp.height));
  return { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
}

export interface ScaleLimits {
  readonly min: number;
  readonly max: number;
}

/** Zoom limits: a quarter of "fit" out, 32 screen pixels per image pixel in. */
export function scaleLimits(imageWidth: number, imageHeight: number, width: number, height: number): ScaleLimits {
  const fit = fitScale(imageWidth, imageHeight, width, height);
  return { min: Math.min(fit / 4, 1), max: Math.max(32, fit) };
}

export function fitScale(imageWidth: number, imageHeight: number, width: number, height: number): number {
  return Math.min(width / imageWidth, height / imageHeight);
}

export function fitViewport(imageWidth: number, imageHeight: number, width: number, height: number, pixelRatio = 1): Viewport {
  return {
    center: imagePoint(imageWidth / 2, imageHeight / 2),
    scale: fitScale(imageWidth, imageHeight, width, height),
    width,
    height,
    pixelRatio,
  };
}

/** Zooms by `factor`, keeping the image point under `anchor` where it is on screen. */
export function zoomAround(vp: Viewport, anchor: ScreenPoint, factor: number, limits: ScaleLimits): Viewport {
  const scale = Math.min(limits.max, Math.max(limits.min, vp.scale * factor));
  const under = screenToImage(vp, anchor);
  // After zooming, `under` must map to `anchor`: anchor = W/2 + (under - c') * scale.
  const cx = under.x - (anchor.x - vp.width / 2) / scale;
  const cy = under.y - (anchor.y - vp.height / 2) / scale;
  return { ...vp, scale, center: imagePoint(cx, cy) };
}

/** Pans so that the image moves by (dx, dy) screen pixels. */
export function panBy(vp: Viewport, dx: number, dy: number): Viewport {
  return { ...vp, center: imagePoint(vp.center.x - dx / vp.scale, vp.center.y - dy / vp.scale) };
}
