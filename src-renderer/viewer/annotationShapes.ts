// Pure geometry of manual annotations in the viewer: turning drags and clicks into stored
// geometry (snapped to whole pixels, clamped to the image), hit-testing, moving, and the
// overlay shapes that draw them. Image coordinates are level-0 pixels throughout.
import type { RequestResult } from '../../src-main/api/types';
import type { ImagePoint, ImageRect } from './coords';
import type { OverlayBox, OverlayPoint, OverlayPolygon, OverlayStatus } from './overlays';

export type Annotation = RequestResult<'annotations.create'>;
export type AnnotationGeometry = Annotation['geometry'];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The pixel under an image point, or null when outside the image. */
export function pixelAt(p: ImagePoint, width: number, height: number): { x: number; y: number } | null {
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  return x >= 0 && y >= 0 && x < width && y < height ? { x, y } : null;
}

/** The nearest pixel corner, clamped to the image's extent. */
export function cornerAt(p: ImagePoint, width: number, height: number): [number, number] {
  return [clamp(Math.round(p.x), 0, width), clamp(Math.round(p.y), 0, height)];
}

/**
 * The box a drag from `a` to `b` draws: every pixel the dragged rectangle touches, clamped to
 * the image. Null when it would be empty (the drag was entirely outside the image).
 */
export function boxFromDrag(a: ImagePoint, b: ImagePoint, width: number, height: number): [number, number, number, number] | null {
  const x0 = clamp(Math.floor(Math.min(a.x, b.x)), 0, width);
  const y0 = clamp(Math.floor(Math.min(a.y, b.y)), 0, height);
  const x1 = clamp(Math.max(Math.ceil(Math.max(a.x, b.x)), Math.floor(Math.min(a.x, b.x)) + 1), 0, width);
  const y1 = clamp(Math.max(Math.ceil(Math.max(a.y, b.y)), Math.floor(Math.min(a.y, b.y)) + 1), 0, height);
  return x1 > x0 && y1 > y0 ? [x0, y0, x1 - x0, y1 - y0] : null;
}

export function boxRect(box: readonly [number, number, number, number]): ImageRect {
  return { x0: box[0], y0: box[1], x1: box[0] + box[2], y1: box[1] + box[3] };
}

export function geometryBounds(g: AnnotationGeometry): ImageRect {
  switch (g.shape) {
    case 'point':
      return { x0: g.x, y0: g.y, x1: g.x + 1, y1: g.y + 1 };
    case 'box':
      return boxRect(g.box);
    case 'polygon': {
      const xs = g.points.map((p) => p[0]);
      const ys = g.points.map((p) => p[1]);
      return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    }
  }
}

/** Moves by whole pixels, keeping the shape inside the image (it stops at the border). */
export function translateGeometry(g: AnnotationGeometry, dx: number, dy: number, width: number, height: number): AnnotationGeometry {
  const b = geometryBounds(g);
  const mx = clamp(Math.round(dx), -b.x0, width - b.x1);
  const my = clamp(Math.round(dy), -b.y0, height - b.y1);
  switch (g.shape) {
    case 'point':
      return { shape: 'point', x: g.x + mx, y: g.y + my };
    case 'box':
      return { shape: 'box', box: [g.box[0] + mx, g.box[1] + my, g.box[2], g.box[3]] };
    case 'polygon':
      return { shape: 'polygon', points: g.points.map(([x, y]) => [x + mx, y + my] as [number, number]) };
  }
}

function insidePolygon(x: number, y: number, pts: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i] as readonly [number, number];
    const [xj, yj] = pts[j] as readonly [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The annotation under `p`, topmost (newest) first. `tolerance` is in image pixels (the caller
 * converts a few screen pixels), so thin shapes and points stay easy to grab at any zoom.
 */
export function hitTest(annotations: readonly Annotation[], p: ImagePoint, tolerance: number): Annotation | null {
  for (let i = annotations.length - 1; i >= 0; i--) {
    const a = annotations[i] as Annotation;
    const g = a.geometry;
    const b = geometryBounds(g);
    if (p.x < b.x0 - tolerance || p.x > b.x1 + tolerance || p.y < b.y0 - tolerance || p.y > b.y1 + tolerance) continue;
    if (g.shape !== 'polygon' || insidePolygon(p.x, p.y, g.points)) return a;
    // Near an edge of the polygon's outline also counts.
    if (g.points.some(([x, y]) => Math.hypot(x - p.x, y - p.y) <= tolerance)) return a;
  }
  return null;
}

/** Overlay shapes for the annotations layer; the selected one is drawn in the selection colour. */
export function annotationOverlay(
  annotations: readonly Annotation[],
  selectedId: number | null,
  colorOf?: (a: Annotation) => number | undefined,
): { boxes: OverlayBox[]; points: OverlayPoint[]; polygons: OverlayPolygon[] } {
  const boxes: OverlayBox[] = [];
  const points: OverlayPoint[] = [];
  const polygons: OverlayPolygon[] = [];
  for (const a of annotations) {
    const status: OverlayStatus = a.id === selectedId ? 'selected' : 'manual';
    const color = status === 'selected' ? undefined : colorOf?.(a);
    const common = { id: String(a.id), status, ...(color === undefined ? {} : { color }) };
    const g = a.geometry;
    if (g.shape === 'box') boxes.push({ ...common, rect: boxRect(g.box) });
    else if (g.shape === 'point') points.push({ ...common, x: g.x, y: g.y });
    else polygons.push({ ...common, points: g.points });
  }
  return { boxes, points, polygons };
}

/** '#rrggbb' (or 'rrggbb') → 0xRRGGBB; null for anything else. */
export function parseHexColor(css: string): number | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(css.trim());
  return m ? parseInt(m[1] as string, 16) : null;
}
