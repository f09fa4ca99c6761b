// Manual annotations (points, boxes, polygons drawn in the viewer): each change is a decision
// in the log; every change is announced so other windows on the same image redraw.
import { AnnotationError, AnnotationService } from '../../annotations/annotationService';
import type { AppContext, HandlerGroup } from '../appContext';
import { ApiFailure } from '../requestDispatcher';

type AnnotationChannel =
  | 'annotations.list'
  | 'annotations.create'
  | 'annotations.update'
  | 'annotations.delete'
  | 'annotations.undo'
  | 'annotations.redo';

export function annotationHandlers(app: AppContext): HandlerGroup<AnnotationChannel> {
  const service = (): AnnotationService => new AnnotationService(app.requireProject().store);
  const changed = (imageId: number): void => app.events.emit('annotations.changed', { imageId });
  const guarded = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof AnnotationError) throw new ApiFailure(err.code, err.message);
      throw err;
    }
  };
  return {
    'annotations.list': async ({ imageId }) => {
      app.requireImage(imageId);
      return service().list(imageId);
    },
    'annotations.create': async ({ imageId, classId, geometry, actor }) => {
      app.requireImage(imageId);
      const created = guarded(() => service().create(imageId, geometry, classId, actor));
      changed(imageId);
      return created;
    },
    'annotations.update': async ({ id, geometry, actor }) => {
      const updated = guarded(() => service().update(id, geometry, actor));
      changed(updated.imageId);
      return updated;
    },
    'annotations.delete': async ({ id, actor }) => {
      const s = service();
      const before = guarded(() => s.get(id));
      const result = guarded(() => s.delete(id, actor));
      if (before) changed(before.imageId);
      return result;
    },
    'annotations.undo': async ({ imageId, actor }) => {
      app.requireImage(imageId);
      const step = service().undo(imageId, actor);
      if (step.decisionId !== null) changed(imageId);
      return step;
    },
    'annotations.redo': async ({ imageId, actor }) => {
      app.requireImage(imageId);
      const step = service().redo(imageId, actor);
      if (step.decisionId !== null) changed(imageId);
      return step;
    },
  };
}
