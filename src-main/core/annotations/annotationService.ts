// Manual annotations of one project: every change is appended to the decision log in the same
// transaction as the annotations row it concerns, so what the user drew is on disk when the
// request returns, and the current state is always re-derived from the log.
import type { AnnotationRow } from '../project/annotationsRepo';
import type { ProjectStore } from '../project/projectStore';
import type { AnnotationGeometry } from './annotationGeometry';
import { geometryOutsideImage } from './annotationGeometry';
import type { AnnotationAction, AnnotationDecision, AnnotationState } from './annotationHistory';
import { currentAnnotations, redoTarget, undoTarget } from './annotationHistory';
import { DomainError } from '../../api/domainError';

export const DEFAULT_ACTOR = 'expert';
/** Created when the project has no class yet: the annotations table needs one. */
export const DEFAULT_CLASS = { name: 'Annotation', color: '#38bdf8' } as const;

export interface Annotation extends AnnotationState {
  imageId: number;
  classId: number;
}

export interface HistoryStep {
  decisionId: number | null;
  annotationId: number | null;
  annotation: Annotation | null;
  canUndo: boolean;
  canRedo: boolean;
}

export class AnnotationService {
  constructor(private readonly store: ProjectStore) {}

  list(imageId: number): { annotations: Annotation[]; canUndo: boolean; canRedo: boolean } {
    const log = this.imageLog(imageId);
    return { annotations: this.withRows(currentAnnotations(log)), canUndo: undoTarget(log) !== undefined, canRedo: redoTarget(log) !== undefined };
  }

  get(id: number): Annotation | null {
    const row = this.row(id);
    if (!row) return null;
    return this.list(row.image_id).annotations.find((a) => a.id === id) ?? null;
  }

  create(imageId: number, geometry: AnnotationGeometry, classId: number | undefined, actor = DEFAULT_ACTOR): Annotation {
    const image = this.store.images.get(imageId);
    if (!image) throw new DomainError('not-found', `no image with id ${imageId}`);
    const outside = geometryOutsideImage(geometry, image.width, image.height);
    if (outside) throw new DomainError('bad-request', outside);
    const id = this.store.transaction(() => {
      const cls = this.resolveClass(classId);
      const annotationId = this.store.annotations.create(imageId, cls, geometry.shape);
      this.append(annotationId, cls, 'create', geometry, actor);
      return annotationId;
    });
    return this.mustGet(id);
  }

  update(id: number, geometry: AnnotationGeometry, actor = DEFAULT_ACTOR): Annotation {
    const { row } = this.requireInEffect(id);
    if (geometry.shape !== row.shape) throw new DomainError('bad-request', `annotation ${id} is a ${row.shape}, not a ${geometry.shape}`);
    const image = this.store.images.get(row.image_id);
    const outside = image && geometryOutsideImage(geometry, image.width, image.height);
    if (outside) throw new DomainError('bad-request', outside);
    this.append(id, row.class_id, 'update', geometry, actor);
    return this.mustGet(id);
  }

  delete(id: number, actor = DEFAULT_ACTOR): { deleted: number; decisionId: number } {
    const { row } = this.requireInEffect(id);
    const d = this.append(id, row.class_id, 'delete', {}, actor);
    return { deleted: id, decisionId: d };
  }

  undo(imageId: number, actor = DEFAULT_ACTOR): HistoryStep {
    return this.revert(imageId, undoTarget(this.imageLog(imageId)), actor);
  }

  redo(imageId: number, actor = DEFAULT_ACTOR): HistoryStep {
    return this.revert(imageId, redoTarget(this.imageLog(imageId)), actor);
  }

  /** Appends the undo of `target` (an undo of an undo is a redo). */
  private revert(imageId: number, target: AnnotationDecision | undefined, actor: string): HistoryStep {
    if (!target) return { decisionId: null, annotationId: null, annotation: null, ...this.flags(imageId) };
    const appended = this.store.decisions.undo(target.id, actor);
    const annotation = this.list(imageId).annotations.find((a) => a.id === target.targetId) ?? null;
    return { decisionId: appended.id, annotationId: target.targetId, annotation, ...this.flags(imageId) };
  }

  private flags(imageId: number): { canUndo: boolean; canRedo: boolean } {
    const { canUndo, canRedo } = this.list(imageId);
    return { canUndo, canRedo };
  }

  private append(annotationId: number, classId: number, action: AnnotationAction, payload: unknown, actor: string): number {
    return this.store.decisions.append({ actor, targetKind: 'annotation', targetId: annotationId, classId, action, payload }).id;
  }

  private resolveClass(classId: number | undefined): number {
    if (classId !== undefined) {
      if (!this.store.classes.get(classId)) throw new DomainError('not-found', `no class with id ${classId}`);
      return classId;
    }
    const first = this.store.classes.list()[0];
    return first ? first.id : this.store.classes.create(DEFAULT_CLASS.name, DEFAULT_CLASS.color).id;
  }

  private row(id: number): AnnotationRow | undefined {
    return this.store.annotations.get(id);
  }

  private requireInEffect(id: number): { row: AnnotationRow; current: Annotation } {
    const row = this.row(id);
    const current = row ? this.get(id) : null;
    if (!row || !current) throw new DomainError('not-found', `no annotation with id ${id}`);
    return { row, current };
  }

  private mustGet(id: number): Annotation {
    const a = this.get(id);
    if (!a) throw new Error(`annotation ${id} vanished after its decision was stored`);
    return a;
  }

  /** Every decision on the image's annotations, oldest first. */
  private imageLog(imageId: number): AnnotationDecision[] {
    return this.store.decisions.listForAnnotationsOf(imageId);
  }

  private withRows(states: AnnotationState[]): Annotation[] {
    if (states.length === 0) return [];
    const rows = new Map<number, AnnotationRow>();
    for (const s of states) {
      const r = this.store.annotations.get(s.id);
      if (r) rows.set(s.id, r);
    }
    return states.flatMap((s) => {
      const r = rows.get(s.id);
      return r ? [{ ...s, imageId: r.image_id, classId: r.class_id }] : [];
    });
  }
}
