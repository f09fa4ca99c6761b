// Mouse, wheel and keyboard navigation bound to the viewer's canvas: drag to pan, wheel (or
// trackpad pinch, which Chromium reports as ctrl+wheel) to zoom around the cursor, arrows to
// pan, +/− to zoom, 0 to fit.
import { screenPoint } from './coords';
import type { DeepZoomViewer } from './deepZoomViewer';

/** Wheel delta → zoom factor; a mouse notch (~100 px) zooms by about 1.26×. */
export function wheelZoomFactor(deltaY: number, deltaMode: number, pinch: boolean): number {
  const px = deltaMode === 1 ? deltaY * 40 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return 2 ** (-px / (pinch ? 100 : 300));
}

function isTextInput(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

export function attachNavigation(viewer: DeepZoomViewer, canvas: HTMLCanvasElement): () => void {
  let drag: { id: number; x: number; y: number } | null = null;
  const local = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return screenPoint(e.clientX - r.left, e.clientY - r.top);
  };

  const down = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    canvas.focus();
    canvas.setPointerCapture(e.pointerId);
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY };
    canvas.style.cursor = 'grabbing';
  };
  const move = (e: PointerEvent): void => {
    viewer.setCursor(local(e));
    if (!drag || drag.id !== e.pointerId) return;
    viewer.panBy(e.clientX - drag.x, e.clientY - drag.y);
    drag = { ...drag, x: e.clientX, y: e.clientY };
  };
  const up = (e: PointerEvent): void => {
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
