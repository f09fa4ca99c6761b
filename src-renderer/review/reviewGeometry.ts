// Where the viewer goes for a suggestion, and what it showed: pure geometry in level-0 pixels.
import type { ViewTarget } from '../viewer/deepZoomViewer';
import type { Box, ShownRect } from './reviewTypes';

export type { ViewTarget };

/** Context around a suggestion: the box ×3 on its long side, never less than this many pixels. */
export const MIN_CONTEXT_PX = 512;
export const CONTEXT_FACTOR = 3;

/** The view that shows `box` centred with context, in a canvas of viewWidth × viewHeight. */
export function contextView(box: Box, viewWidth: number, viewHeight: number, maxScale = 4): ViewTarget {
  const [x, y, w, h] = box;
  const side = Math.max(MIN_CONTEXT_PX, CONTEXT_FACTOR * Math.max(w, h));
  const scale = Math.min(maxScale, Math.max(1e-3, viewWidth) / side, Math.max(1e-3, viewHeight) / side);
  return { centerX: x + w / 2, centerY: y + h / 2, scale };
}

/** The part of the image a view shows (the canvas rectangle clipped to the image). */
export function shownRectOf(
  view: { centerX: number; centerY: number; scale: number; width: number; height: number },
  imageWidth: number,
  imageHeight: number,
): ShownRect | null {
  const halfW = view.width / 2 / view.scale;
  const halfH = view.height / 2 / view.scale;
  const x0 = Math.max(0, view.centerX - halfW);
  const y0 = Math.max(0, view.centerY - halfH);
  const x1 = Math.min(imageWidth, view.centerX + halfW);
  const y1 = Math.min(imageHeight, view.centerY + halfH);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Which part of a box a pointer grabs: edges and corners resize, the inside moves it. */
export type BoxHandle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw' | 'move';

/** The handle under image point (px, py), with `tolerance` image pixels around the edges; null when outside. */
export function boxHandleAt(box: Box, px: number, py: number, tolerance: number): BoxHandle | null {
  const [x, y, w, h] = box;
  const inX = px >= x - tolerance && px <= x + w + tolerance;
  const inY = py >= y - tolerance && py <= y + h + tolerance;
  if (!inX || !inY) return null;
  const west = Math.abs(px - x) <= tolerance;
  const east = Math.abs(px - (x + w)) <= tolerance;
  const north = Math.abs(py - y) <= tolerance;
  const south = Math.abs(py - (y + h)) <= tolerance;
  const ns = north ? 'n' : south ? 's' : '';
  const ew = west ? 'w' : east ? 'e' : '';
  const edge = `${ns}${ew}`;
  if (edge) return edge as BoxHandle;
  return 'move';
}

/**
 * The box after dragging `handle` by (dx, dy) image pixels: whole pixels, at least 1 × 1, inside
 * the image. Dragging an edge past the opposite one stops there rather than flipping.
 */
export function dragBox(box: Box, handle: BoxHandle, dx: number, dy: number, imageWidth: number, imageHeight: number): Box {
  let x0 = box[0];
  let y0 = box[1];
  let x1 = box[0] + box[2];
  let y1 = box[1] + box[3];
  const rx = Math.round(dx);
  const ry = Math.round(dy);
  if (handle === 'move') {
    const mx = Math.min(imageWidth - x1, Math.max(-x0, rx));
    const my = Math.min(imageHeight - y1, Math.max(-y0, ry));
    return [x0 + mx, y0 + my, box[2], box[3]];
  }
  if (handle.includes('w')) x0 = Math.min(x1 - 1, Math.max(0, x0 + rx));
  if (handle.includes('e')) x1 = Math.max(x0 + 1, Math.min(imageWidth, x1 + rx));
  if (handle.includes('n')) y0 = Math.min(y1 - 1, Math.max(0, y0 + ry));
  if (handle.includes('s')) y1 = Math.max(y0 + 1, Math.min(imageHeight, y1 + ry));
  return [x0, y0, x1 - x0, y1 - y0];
}

/** Grows (step > 0) or shrinks (step < 0) a box on every side, kept inside the image and ≥ 1 px. */
export function growBox(box: Box, step: number, imageWidth: number, imageHeight: number): Box {
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const w = Math.max(1, box[2] + 2 * step);
  const h = Math.max(1, box[3] + 2 * step);
  const x0 = Math.max(0, Math.round(cx - w / 2));
  const y0 = Math.max(0, Math.round(cy - h / 2));
  const x1 = Math.min(imageWidth, x0 + w);
  const y1 = Math.min(imageHeight, y0 + h);
  return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
}

export function sameBox(a: Box, b: Box): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}
