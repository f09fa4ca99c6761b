// Mouse, wheel and keyboard navigation bound to the viewer's canvas: drag to pan, wheel (or
// trackpad pinch, which Chromium reports as ctrl+wheel) to zoom around the cursor, two-finger
// touch pinch, arrows to pan, +/− to zoom, 0 to fit.
import type { ScreenPoint } from './coords';
import { screenPoint } from './coords';
import type { PinchPair } from './pinch';
import { pinchStep } from './pinch';
import type { DeepZoomViewer } from './deepZoomViewer';

/** Wheel delta → zoom factor; a mouse notch (~100 px) zooms by about 1.26×. */
/** The keys handled here, as the `?` list shows them. */
export const VIEWER_KEY_LEGEND: readonly { keys: string; what: string }[] = [
  { keys: '← → ↑ ↓', what: 'pan' },
  { keys: '+ / −', what: 'zoom in / out' },
  { keys: '0', what: 'fit the image' },
  { keys: '1', what: '1:1 (one image pixel per screen pixel)' },
  { keys: 'drag / wheel / pinch', what: 'pan / zoom' },
];

export function wheelZoomFactor(deltaY: number, deltaMode: number, pinch: boolean): number {
  const px = deltaMode === 1 ? deltaY * 40 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return 2 ** (-px / (pinch ? 100 : 300));
}

function isTextInput(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

/**
 * A drawing tool that may take a pointer gesture instead of panning. `claim` sees every
 * primary-button press; returning true hands the gesture (its move / up events) to the tool.
 * `cancel` is called when a second finger turns the gesture into a pinch.
 */
export interface PointerClaimer {
  claim(e: PointerEvent): boolean;
  cancel(): void;
}

export function attachNavigation(viewer: DeepZoomViewer, canvas: HTMLCanvasElement, tool: PointerClaimer | null = null): () => void {
  let drag: { id: number; x: number; y: number } | null = null;
  /** Every pointer down on the canvas (touch fingers, pen, mouse), by id. */
  const pointers = new Map<number, ScreenPoint>();
  let claimedBy: number | null = null;
  const local = (e: MouseEvent): ScreenPoint => {
    const r = canvas.getBoundingClientRect();
    return screenPoint(e.clientX - r.left, e.clientY - r.top);
  };
  const pair = (): PinchPair | null => {
    const [a, b] = [...pointers.values()];
    return a && b ? { a, b } : null;
  };

  const down = (e: PointerEvent): void => {
    // Primary button, or the middle button, which always pans (even with a drawing tool).
    if (e.button !== 0 && e.button !== 1) return;
    canvas.focus();
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, local(e));
    if (pointers.size === 2) {
      // A second finger: the gesture becomes a pinch, whatever the first one was doing.
      if (claimedBy !== null) tool?.cancel();
      claimedBy = null;
      drag = null;
      return;
    }
    if (pointers.size > 2) return;
    if (e.button === 0 && tool?.claim(e)) {
      claimedBy = e.pointerId;
      return;
    }
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY };
    canvas.style.cursor = 'grabbing';
  };
  const move = (e: PointerEvent): void => {
    viewer.setCursor(local(e));
    const before = pair();
    if (pointers.has(e.pointerId)) pointers.set(e.pointerId, local(e));
    const after = pair();
    if (before && after && pointers.size === 2) {
      const step = pinchStep(before, after);
      viewer.panBy(step.panX, step.panY);
      if (step.factor !== 1) viewer.zoomBy(step.factor, step.anchor);
      return;
    }
    if (!drag || drag.id !== e.pointerId) return;
    viewer.panBy(e.clientX - drag.x, e.clientY - drag.y);
    drag = { ...drag, x: e.clientX, y: e.clientY };
  };
  const up = (e: PointerEvent): void => {
    pointers.delete(e.pointerId);
    if (claimedBy === e.pointerId) claimedBy = null;
    if (drag?.id === e.pointerId) drag = null;
    canvas.style.cursor = '';
  };
  const leave = (): void => viewer.setCursor(null);
  const wheel = (e: WheelEvent): void => {
    e.preventDefault();
    viewer.zoomBy(wheelZoomFactor(e.deltaY, e.deltaMode, e.ctrlKey), local(e));
  };
  const key = (e: KeyboardEvent): void => {
    if (isTextInput(e.target) || e.altKey || e.metaKey || e.ctrlKey) return;
    const step = 0.15;
    const vp = viewer.viewport;
    switch (e.key) {
      case 'ArrowLeft':
        viewer.panBy(vp.width * step, 0);
        break;
      case 'ArrowRight':
        viewer.panBy(-vp.width * step, 0);
        break;
      case 'ArrowUp':
        viewer.panBy(0, vp.height * step);
        break;
      case 'ArrowDown':
        viewer.panBy(0, -vp.height * step);
        break;
      case '+':
      case '=':
        viewer.zoomBy(2);
        break;
      case '-':
      case '_':
        viewer.zoomBy(0.5);
        break;
      case '0':
        viewer.fit();
        break;
      case '1':
        // 1:1: one image pixel per device pixel.
        viewer.zoomBy(1 / vp.pixelRatio / vp.scale);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  canvas.addEventListener('pointerleave', leave);
  canvas.addEventListener('wheel', wheel, { passive: false });
  window.addEventListener('keydown', key);
  return () => {
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointercancel', up);
    canvas.removeEventListener('pointerleave', leave);
    canvas.removeEventListener('wheel', wheel);
    window.removeEventListener('keydown', key);
  };
}
