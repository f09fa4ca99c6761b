// The selected image's manual annotations as the server has them, plus the selection and the
// in-flight edits. Every edit goes to the server at once (it is a decision in the log); the
// list is re-read after each one and on annotations.changed, so several windows agree.
import type { MicraApi } from '../../src-main/api/types';
import type { Annotation, AnnotationGeometry } from '../viewer/annotationShapes';
import { parseHexColor } from '../viewer/annotationShapes';

export interface AnnotationSnapshot {
  readonly imageId: number | null;
  readonly annotations: readonly Annotation[];
  readonly selectedId: number | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The last failure, for the toolbar to show. */
  readonly error: string | null;
}

export class AnnotationStore {
  private imageId: number | null = null;
  private annotations: Annotation[] = [];
  private selectedId: number | null = null;
  private canUndo = false;
  private canRedo = false;
  private error: string | null = null;
  private readonly previews = new Map<number, AnnotationGeometry>();
  /** Class colours (0xRRGGBB) by class id, for drawing each annotation in its class's colour. */
  private classColors = new Map<number, number>();
  private loadSeq = 0;
  private readonly offChanged: () => void;
  private disposed = false;

  constructor(
    private readonly api: MicraApi,
    private readonly changed: (s: AnnotationSnapshot) => void,
  ) {
    this.offChanged = api.on('annotations.changed', ({ imageId }) => {
      if (imageId === this.imageId) void this.reload();
    });
  }

  snapshot(): AnnotationSnapshot {
    const annotations = this.annotations.map((a) => {
      const g = this.previews.get(a.id);
      return g ? { ...a, geometry: g } : a;
    });
    return { imageId: this.imageId, annotations, selectedId: this.selectedId, canUndo: this.canUndo, canRedo: this.canRedo, error: this.error };
  }

  setImage(imageId: number | null): void {
    if (imageId === this.imageId) return;
    this.imageId = imageId;
    this.annotations = [];
    this.selectedId = null;
    this.previews.clear();
    this.canUndo = this.canRedo = false;
    this.emit();
    void this.reload();
    void this.loadClassColors();
  }

  select(id: number | null): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.emit();
  }

  preview(id: number, geometry: AnnotationGeometry | null): void {
    if (geometry) this.previews.set(id, geometry);
    else this.previews.delete(id);
    this.emit();
  }

  async create(geometry: AnnotationGeometry): Promise<void> {
    const imageId = this.imageId;
    if (imageId === null) return;
    await this.act(async () => {
      const a = await this.api.invoke('annotations.create', { imageId, geometry });
      this.selectedId = a.id;
    });
  }

  async update(id: number, geometry: AnnotationGeometry): Promise<void> {
    this.previews.set(id, geometry);
    await this.act(() => this.api.invoke('annotations.update', { id, geometry }));
    this.previews.delete(id);
    this.emit();
  }

  async deleteSelected(): Promise<void> {
    const id = this.selectedId;
    if (id === null) return;
    this.selectedId = null;
    await this.act(() => this.api.invoke('annotations.delete', { id }));
  }

  async undo(): Promise<void> {
    const imageId = this.imageId;
    if (imageId !== null) await this.act(() => this.api.invoke('annotations.undo', { imageId }));
  }

  async redo(): Promise<void> {
    const imageId = this.imageId;
    if (imageId !== null) await this.act(() => this.api.invoke('annotations.redo', { imageId }));
  }

  classColor(classId: number): number | undefined {
    return this.classColors.get(classId);
  }

  /** Reads the class colours; without them annotations keep the 'manual' status colour. */
  async loadClassColors(): Promise<void> {
    try {
      const classes = await this.api.invoke('classes.list', {});
      this.classColors = new Map(classes.flatMap((c) => {
        const rgb = parseHexColor(c.color);
        return rgb === null ? [] : [[c.id, rgb] as const];
      }));
      this.emit();
    } catch {
      // Classes are decoration here: the status colour stands in.
    }
  }

  async reload(): Promise<void> {
    const imageId = this.imageId;
    const seq = ++this.loadSeq;
    if (imageId === null) return;
    try {
      const r = await this.api.invoke('annotations.list', { imageId });
      if (seq !== this.loadSeq) return; // a newer load (or another image) took over
      this.annotations = r.annotations;
      this.canUndo = r.canUndo;
      this.canRedo = r.canRedo;
      if (this.selectedId !== null && !r.annotations.some((a) => a.id === this.selectedId)) this.selectedId = null;
      this.emit();
    } catch (e) {
      if (seq === this.loadSeq) this.fail(e);
    }
  }

  /** Stops listening; answers still on their way are dropped (their viewer may be gone). */
  dispose(): void {
    this.disposed = true;
    this.offChanged();
  }

  private async act(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      this.error = null;
    } catch (e) {
      this.fail(e);
    }
    await this.reload();
  }

  private fail(e: unknown): void {
    this.error = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String(e.message) : String(e);
    this.emit();
  }

  private emit(): void {
    if (this.disposed) return;
    this.changed(this.snapshot());
  }
}
