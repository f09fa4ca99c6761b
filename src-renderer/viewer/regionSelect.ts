// A one-shot rectangle drag on the image (the snapshot's "region"): once armed, the next primary
// drag on the canvas draws the rectangle as the overlay's draft and hands back the pixels it
// touched; Escape or a second finger cancels. Otherwise it claims nothing and the press pans.
import type { ImagePoint, ImageRect } from './coords';
import { screenPoint } from './coords';
import type { DeepZoomViewer } from './deepZoomViewer';
import { boxFromDrag, boxRect } from './annotationShapes';
import type { PointerClaimer } from './navigation';

export class RegionSelect implements PointerClaimer {
  private armed: ((rect: ImageRect | null) => void) | null = null;
  private drag: { pointerId: number; start: ImagePoint } | null = null;
  private readonly detach: () => void;

  constructor(
    private readonly viewer: DeepZoomViewer,
    private readonly canvas: HTMLCanvasElement,
  ) {
    const move = (e: PointerEvent): void => this.pointerMove(e);
    const up = (e: PointerEvent): void => this.pointerUp(e);
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && this.armed) {
        e.preventDefault();
        this.cancel();
      }
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    window.addEventListener('keydown', key);
    this.detach = () => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      window.removeEventListener('keydown', key);
    };
  }

  get isArmed(): boolean {
    return this.armed !== null;
  }

  /** The rectangle of the next drag (null: cancelled). Arming again cancels the previous wait. */
  select(): Promise<ImageRect | null> {
    this.cancel();
    this.canvas.style.cursor = 'crosshair';
    return new Promise((resolve) => (this.armed = resolve));
  }

  claim(e: PointerEvent): boolean {
    if (!this.armed || !this.viewer.currentImage) return false;
    this.drag = { pointerId: e.pointerId, start: this.at(e) };
    return true;
  }

  cancel(): void {
    this.finish(null);
  }

  dispose(): void {
    this.cancel();
    this.detach();
  }

  private at(e: PointerEvent): ImagePoint {
    const r = this.canvas.getBoundingClientRect();
    return this.viewer.imageAt(screenPoint(e.clientX - r.left, e.clientY - r.top));
  }

  private box(e: PointerEvent): ImageRect | null {
    const img = this.viewer.currentImage;
    if (!this.drag || !img) return null;
    const b = boxFromDrag(this.drag.start, this.at(e), img.width, img.height);
    return b ? boxRect(b) : null;
  }

  private pointerMove(e: PointerEvent): void {
    if (this.drag?.pointerId !== e.pointerId) return;
    const rect = this.box(e);
    this.viewer.overlays.setDraft(rect ? { kind: 'box', rect } : null);
  }

  private pointerUp(e: PointerEvent): void {
    if (this.drag?.pointerId !== e.pointerId) return;
    this.finish(this.box(e));
  }

  private finish(rect: ImageRect | null): void {
    const resolve = this.armed;
    const dragging = this.drag !== null;
    this.armed = null;
    this.drag = null;
    if (dragging) this.viewer.overlays.setDraft(null);
    if (resolve) {
      this.canvas.style.cursor = '';
      resolve(rect);
    }
  }
}
