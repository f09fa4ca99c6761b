// Pointer gestures of review mode on the viewer's canvas, taken before the viewer's own
// navigation sees them (capture phase on window): dragging an edge or corner of the current
// box adjusts it, and in "add region" mode (N) a click asks for the model's region there.
// Anything else (dragging elsewhere, the wheel) stays the viewer's pan and zoom.
import { screenPoint } from '../viewer/coords';
import type { DeepZoomViewer } from '../viewer/deepZoomViewer';
import type { BoxHandle } from './reviewGeometry';
import { boxHandleAt, dragBox } from './reviewGeometry';
import type { Box } from './reviewTypes';

/** Screen pixels around an edge that still grab it. */
const GRAB_PX = 7;
/** A press that moves less than this is a click. */
const CLICK_SLOP_PX = 5;

const CURSORS: Record<BoxHandle, string> = {
  n: 'ns-resize',
  s: 'ns-resize',
  e: 'ew-resize',
  w: 'ew-resize',
  ne: 'nesw-resize',
  sw: 'nesw-resize',
  nw: 'nwse-resize',
  se: 'nwse-resize',
  move: '',
};

export interface ReviewPointerTarget {
  /** The box the expert may adjust now (the current suggestion's), or null. */
  editableBox(): Box | null;
  addMode(): boolean;
  imageSize(): { width: number; height: number } | null;
  /** While dragging (final = false) and once on release (final = true). */
  boxDragged(box: Box, final: boolean): void;
  clicked(x: number, y: number): void;
}

export function attachReviewPointer(viewer: DeepZoomViewer, canvas: HTMLCanvasElement, target: ReviewPointerTarget): () => void {
  let gesture: { id: number; sx: number; sy: number; kind: 'click' } | { id: number; sx: number; sy: number; kind: 'drag'; handle: BoxHandle; box: Box } | null = null;
  const local = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return screenPoint(e.clientX - r.left, e.clientY - r.top);
  };
  const handleUnder = (e: PointerEvent): BoxHandle | null => {
    const box = target.editableBox();
    if (!box) return null;
    const p = viewer.imageAt(local(e));
    const h = boxHandleAt(box, p.x, p.y, GRAB_PX / viewer.viewport.scale);
    return h === 'move' ? null : h;
  };
  const claim = (e: PointerEvent): void => {
    e.stopImmediatePropagation();
    e.preventDefault();
    canvas.focus();
  };

  const down = (e: PointerEvent): void => {
    if (e.target !== canvas || e.button !== 0 || !e.isPrimary) return;
    if (target.addMode()) {
      claim(e);
      gesture = { id: e.pointerId, sx: e.clientX, sy: e.clientY, kind: 'click' };
      return;
    }
    const handle = handleUnder(e);
    const box = target.editableBox();
    if (!handle || !box) return;
    claim(e);
    gesture = { id: e.pointerId, sx: e.clientX, sy: e.clientY, kind: 'drag', handle, box };
  };
  const move = (e: PointerEvent): void => {
    if (gesture?.kind === 'drag' && e.pointerId === gesture.id) {
      e.stopImmediatePropagation();
      const size = target.imageSize();
      if (!size) return;
      const s = viewer.viewport.scale;
      target.boxDragged(dragBox(gesture.box, gesture.handle, (e.clientX - gesture.sx) / s, (e.clientY - gesture.sy) / s, size.width, size.height), false);
      return;
    }
    if (gesture || e.target !== canvas) return;
    // Hover feedback: what a press here would do.
    const cursor = target.addMode() ? 'crosshair' : CURSORS[handleUnder(e) ?? 'move'];
    if (canvas.style.cursor !== cursor && canvas.style.cursor !== 'grabbing') canvas.style.cursor = cursor;
  };
  const up = (e: PointerEvent): void => {
    const g = gesture;
    if (!g || e.pointerId !== g.id) return;
    gesture = null;
    e.stopImmediatePropagation();
    if (g.kind === 'click') {
      if (Math.hypot(e.clientX - g.sx, e.clientY - g.sy) <= CLICK_SLOP_PX) {
        const p = viewer.imageAt(local(e));
        target.clicked(Math.floor(p.x), Math.floor(p.y));
      }
      return;
    }
    const size = target.imageSize();
    if (!size) return;
    const s = viewer.viewport.scale;
    target.boxDragged(dragBox(g.box, g.handle, (e.clientX - g.sx) / s, (e.clientY - g.sy) / s, size.width, size.height), true);
  };

  window.addEventListener('pointerdown', down, true);
  window.addEventListener('pointermove', move, true);
  window.addEventListener('pointerup', up, true);
  window.addEventListener('pointercancel', up, true);
  return () => {
    window.removeEventListener('pointerdown', down, true);
    window.removeEventListener('pointermove', move, true);
    window.removeEventListener('pointerup', up, true);
    window.removeEventListener('pointercancel', up, true);
    canvas.style.cursor = '';
  };
}
