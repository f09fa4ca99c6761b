// The pointer side of the annotation tools: point (click), box (drag), polygon (click the
// vertices; click the first one, double-click or Enter to close), select (click; drag the
// selection to move it). It turns gestures into geometry and hands it to its host, which
// stores it; what is drawn meanwhile is the overlay's draft shape.
import type { ImagePoint } from './coords';
import { screenPoint } from './coords';
import type { DeepZoomViewer } from './deepZoomViewer';
import type { Annotation, AnnotationGeometry } from './annotationShapes';
import { boxFromDrag, boxRect, cornerAt, hitTest, pixelAt, translateGeometry } from './annotationShapes';
import type { ToolName } from './annotationKeys';
import type { PointerClaimer } from './navigation';

export interface AnnotationToolHost {
  annotations(): readonly Annotation[];
  selectedId(): number | null;
  select(id: number | null): void;
  create(geometry: AnnotationGeometry): void;
  update(id: number, geometry: AnnotationGeometry): void;
  /** Shows `geometry` in place of the annotation's stored one while it is dragged (null: stop). */
  preview(id: number, geometry: AnnotationGeometry | null): void;
}

/** Screen pixels within which a click grabs a shape or closes a polygon. */
const GRAB_PX = 6;
const MIN_BOX_DRAG_PX = 3;

type Gesture =
  | { kind: 'box'; pointerId: number; start: ImagePoint }
  | { kind: 'move'; pointerId: number; start: ImagePoint; annotation: Annotation; moved: AnnotationGeometry | null };

export class AnnotationTool implements PointerClaimer {
  private tool: ToolName = 'select';
  private gesture: Gesture | null = null;
  private polygon: [number, number][] = [];
  private hover: ImagePoint | null = null;
  private readonly detach: () => void;

  constructor(
    private readonly viewer: DeepZoomViewer,
    private readonly canvas: HTMLCanvasElement,
    private readonly host: AnnotationToolHost,
  ) {
    const move = (e: PointerEvent): void => this.pointerMove(e);
    const up = (e: PointerEvent): void => this.pointerUp(e);
    const dbl = (): void => this.finishPolygon();
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('dblclick', dbl);
    this.detach = () => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      canvas.removeEventListener('dblclick', dbl);
    };
  }

  get current(): ToolName {
    return this.tool;
  }

  setTool(tool: ToolName): void {
    this.cancel();
    this.tool = tool;
    this.canvas.style.cursor = tool === 'select' ? '' : 'crosshair';
  }

  claim(e: PointerEvent): boolean {
    const image = this.viewer.currentImage;
    if (!image) return false;
    const p = this.at(e);
    switch (this.tool) {
      case 'select': {
        const hit = hitTest(this.host.annotations(), p, GRAB_PX / this.viewer.viewport.scale);
        this.host.select(hit?.id ?? null);
        if (!hit) return false; // a press on empty image pans
        this.gesture = { kind: 'move', pointerId: e.pointerId, start: p, annotation: hit, moved: null };
        return true;
      }
      case 'point': {
        const px = pixelAt(p, image.width, image.height);
        if (px) this.host.create({ shape: 'point', x: px.x, y: px.y });
        return true;
      }
      case 'box':
        this.gesture = { kind: 'box', pointerId: e.pointerId, start: p };
        return true;
      case 'polygon':
        this.addVertex(p);
        return true;
    }
  }

  /** Drops the gesture or polygon in progress without storing anything. */
  cancel(): void {
    if (this.gesture?.kind === 'move') this.host.preview(this.gesture.annotation.id, null);
    this.gesture = null;
    this.polygon = [];
    this.viewer.overlays.setDraft(null);
  }

  /** Closes the polygon being drawn (Enter / double-click); fewer than 3 vertices: dropped. */
  finishPolygon(): void {
    if (this.tool !== 'polygon') return;
    const pts = this.polygon;
    this.polygon = [];
    this.viewer.overlays.setDraft(null);
    if (pts.length >= 3) this.host.create({ shape: 'polygon', points: pts });
  }

  /** Backspace while drawing a polygon takes its last vertex back; true when it did. */
  removeLastVertex(): boolean {
    if (this.tool !== 'polygon' || this.polygon.length === 0) return false;
    this.polygon.pop();
    this.drawPolygonDraft();
    return true;
  }

  get drawing(): boolean {
    return this.gesture !== null || this.polygon.length > 0;
  }

  destroy(): void {
    this.cancel();
    this.detach();
  }

  private at(e: PointerEvent): ImagePoint {
    const r = this.canvas.getBoundingClientRect();
    return this.viewer.imageAt(screenPoint(e.clientX - r.left, e.clientY - r.top));
  }

  private addVertex(p: ImagePoint): void {
    const image = this.viewer.currentImage;
    if (!image) return;
    const v = cornerAt(p, image.width, image.height);
    const first = this.polygon[0];
    const scale = this.viewer.viewport.scale;
    if (first && this.polygon.length >= 3 && Math.hypot(first[0] - p.x, first[1] - p.y) * scale <= GRAB_PX) {
      this.finishPolygon();
      return;
    }
    const last = this.polygon[this.polygon.length - 1];
    if (!last || last[0] !== v[0] || last[1] !== v[1]) this.polygon.push(v);
    this.drawPolygonDraft();
  }

  private drawPolygonDraft(): void {
    if (this.polygon.length === 0) {
      this.viewer.overlays.setDraft(null);
      return;
    }
    const points: (readonly [number, number])[] = [...this.polygon];
    if (this.hover) points.push([this.hover.x, this.hover.y]);
    this.viewer.overlays.setDraft({ kind: 'polyline', points, closed: false });
  }

  private pointerMove(e: PointerEvent): void {
    const image = this.viewer.currentImage;
    if (!image) return;
    const p = this.at(e);
    if (this.tool === 'polygon' && this.polygon.length > 0) {
      this.hover = p;
      this.drawPolygonDraft();
    }
    const g = this.gesture;
    if (!g || g.pointerId !== e.pointerId) return;
    if (g.kind === 'box') {
      const box = boxFromDrag(g.start, p, image.width, image.height);
      this.viewer.overlays.setDraft(box ? { kind: 'box', rect: boxRect(box) } : null);
    } else {
      g.moved = translateGeometry(g.annotation.geometry, p.x - g.start.x, p.y - g.start.y, image.width, image.height);
      this.host.preview(g.annotation.id, g.moved);
    }
  }

  private pointerUp(e: PointerEvent): void {
    const g = this.gesture;
    const image = this.viewer.currentImage;
    if (!g || g.pointerId !== e.pointerId || !image) return;
    this.gesture = null;
    const p = this.at(e);
    if (g.kind === 'box') {
      this.viewer.overlays.setDraft(null);
      // A click without a drag is not a box.
      if (Math.hypot(p.x - g.start.x, p.y - g.start.y) * this.viewer.viewport.scale < MIN_BOX_DRAG_PX) return;
      const box = boxFromDrag(g.start, p, image.width, image.height);
      if (box) this.host.create({ shape: 'box', box });
      return;
    }
    const moved = translateGeometry(g.annotation.geometry, p.x - g.start.x, p.y - g.start.y, image.width, image.height);
    if (JSON.stringify(moved) !== JSON.stringify(g.annotation.geometry)) this.host.update(g.annotation.id, moved);
    else this.host.preview(g.annotation.id, null);
  }
}
