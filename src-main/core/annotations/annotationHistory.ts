// Manual annotations as a projection of the decision log. Every change to an annotation is a
// decision on it ('create' / 'update' carry the geometry, 'delete' ends it); undo appends an
// undo decision and redo appends the undo of that undo (DecisionsRepo's rule). This module is
// pure: given an image's annotation decisions it says what exists and what undo/redo would do.
import type { AnnotationGeometry } from './annotationGeometry';
import { parseGeometry } from './annotationGeometry';
import { decisionsInEffect } from '../project/decisionLog';

export const ANNOTATION_ACTIONS = ['create', 'update', 'delete'] as const;
export type AnnotationAction = (typeof ANNOTATION_ACTIONS)[number];

export interface AnnotationDecision {
  id: number;
  /** The annotation the decision is about. */
  targetId: number;
  action: string;
  payload: unknown;
  undoOf: number | null;
  actor: string;
  createdAt: string;
}

export interface AnnotationState {
  id: number;
  geometry: AnnotationGeometry;
  decisionId: number;
  actor: string;
  updatedAt: string;
}

const isChange = (d: AnnotationDecision): boolean => d.undoOf === null && (ANNOTATION_ACTIONS as readonly string[]).includes(d.action);

/** Annotations in effect, by id ascending. `log` holds every decision on the image's annotations. */
export function currentAnnotations(log: readonly AnnotationDecision[]): AnnotationState[] {
  const inEffect = decisionsInEffect(log);
  const newest = new Map<number, AnnotationDecision>();
  for (const d of log) {
    if (!isChange(d) || !inEffect.has(d.id)) continue;
    const seen = newest.get(d.targetId);
    if (!seen || d.id > seen.id) newest.set(d.targetId, d);
  }
  const out: AnnotationState[] = [];
  for (const d of newest.values()) {
    if (d.action === 'delete') continue;
    out.push({ id: d.targetId, geometry: parseGeometry(d.payload), decisionId: d.id, actor: d.actor, updatedAt: d.createdAt });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** The change an undo reverts: the newest create/update/delete still in effect. */
export function undoTarget(log: readonly AnnotationDecision[]): AnnotationDecision | undefined {
  const inEffect = decisionsInEffect(log);
  let target: AnnotationDecision | undefined;
  for (const d of log) if (isChange(d) && inEffect.has(d.id) && (!target || d.id > target.id)) target = d;
  return target;
}

/**
 * The undo a redo reverts: the newest undo (of a change, not of another undo) still in effect,
 * provided no new change was made after it — drawing something new clears the redo stack.
 */
export function redoTarget(log: readonly AnnotationDecision[]): AnnotationDecision | undefined {
  const byId = new Map(log.map((d) => [d.id, d]));
  const inEffect = decisionsInEffect(log);
  let newestChange = 0;
  for (const d of log) if (isChange(d)) newestChange = Math.max(newestChange, d.id);
  let target: AnnotationDecision | undefined;
  for (const d of log) {
    if (d.undoOf === null || !inEffect.has(d.id) || d.id < newestChange) continue;
    const undone = byId.get(d.undoOf);
    if (!undone || !isChange(undone)) continue; // an undo of an undo is a redo, not undoable work
    if (!target || d.id > target.id) target = d;
  }
  return target;
}
