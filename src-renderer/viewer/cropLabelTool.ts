// The viewer's "Label crop" tool: while active, the labelling grid's crop under the cursor is
// outlined (the overlay's draft), a primary press picks it, and a label key (labelKeys.ts: the
// crop grid's own keys) or the panel's buttons label it through crops.label, the crop grid's
// request, so both make the same records. Esc leaves the tool. Inactive, it claims nothing.
import { gridCropAt, type CropRectPx } from '../../src-shared/cropGrid';
import { screenPoint } from './coords';
import type { DeepZoomViewer } from './deepZoomViewer';
import type { PointerClaimer } from './navigation';
import { labelActionFor, type LabelValue } from '../training/labelKeys';

export interface CropLabelState {
  active: boolean;
  /** The crop a press picked, which the next label key labels. */
  picked: CropRectPx | null;
}

export class CropLabelTool implements PointerClaimer {
  private state: CropLabelState = { active: false, picked: null };
  private hovered: CropRectPx | null = null;
  private readonly detach: () => void;

  constructor(
    private readonly viewer: DeepZoomViewer,
    private readonly canvas: HTMLCanvasElement,
    private readonly cropSize: () => number,
    private readonly onLabel: (crop: CropRectPx, value: LabelValue) => void,
    private readonly onState: (s: CropLabelState) => void,
  ) {
    const move = (e: PointerEvent): void => this.pointerMove(e);
    const key = (e: KeyboardEvent): void => this.key(e);
    canvas.addEventListener('pointermove', move);
    window.addEventListener('keydown', key);
    this.detach = () => {
      canvas.removeEventListener('pointermove', move);
      window.removeEventListener('keydown', key);
    };
  }

  get isActive(): boolean {
    return this.state.active;
  }

  setActive(active: boolean): void {
    if (active === this.state.active) return;
    this.hovered = null;
    this.set({ active, picked: null });
    this.canvas.style.cursor = active ? 'crosshair' : '';
    this.viewer.overlays.setDraft(null);
  }

  claim(e: PointerEvent): boolean {
    if (!this.state.active || !this.viewer.currentImage) return false;
    const crop = this.cropAt(e);
    this.set({ active: true, picked: crop });
    this.draw();
    return true;
  }

  cancel(): void {
    if (this.state.picked) this.set({ active: true, picked: null });
    this.draw();
  }

  /** Labels the picked crop (the panel's buttons); the pick is kept for a second class. */
  label(value: LabelValue): void {
    if (this.state.active && this.state.picked) this.onLabel(this.state.picked, value);
  }

  dispose(): void {
    this.setActive(false);
    this.detach();
  }

  private set(s: CropLabelState): void {
    this.state = s;
    this.onState(s);
  }

  private cropAt(e: PointerEvent): CropRectPx | null {
    const img = this.viewer.currentImage;
    if (!img) return null;
    const r = this.canvas.getBoundingClientRect();
    const p = this.viewer.imageAt(screenPoint(e.clientX - r.left, e.clientY - r.top));
    return gridCropAt(p.x, p.y, img.width, img.height, this.cropSize());
  }

  private draw(): void {
    const c = this.state.picked ?? this.hovered;
    this.viewer.overlays.setDraft(this.state.active && c ? { kind: 'box', rect: { x0: c.x, y0: c.y, x1: c.x + c.size, y1: c.y + c.size } } : null);
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.state.active || this.state.picked) return;
    this.hovered = this.cropAt(e);
    this.draw();
  }

  private key(e: KeyboardEvent): void {
    if (!this.state.active) return;
    const t = e.target as { tagName?: string } | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      this.setActive(false);
      return;
    }
    const action = labelActionFor(e);
    if (action?.type !== 'label' || !this.state.picked) return;
    e.preventDefault();
    this.label(action.value);
  }
}
