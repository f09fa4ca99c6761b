// Manual annotations (points, boxes, polygons drawn in the viewer): each change is a decision
// in the log; every change is announced so other windows on the same image redraw.
import type { annotationRequests } from '../../../api/channels/annotationChannels';
import { AnnotationService } from '../../annotations/annotationService';
import type { AppContext, HandlerGroup } from '../appContext';


export function annotationHandlers(app: AppContext): HandlerGroup<typeof annotationRequests> {
  const service = (): AnnotationService => new AnnotationService(app.requireProject().store);
  const changed = (imageId: number): void => app.events.emit('annotations.changed', { imageId });
  return {
    'annotations.list': async ({ imageId }) => {
      app.requireImage(imageId);
      return service().list(imageId);
    },
    'annotations.create': async ({ imageId, classId, geometry, actor }) => {
      app.requireImage(imageId);
      const created = service().create(imageId, geometry, classId, actor);
      changed(imageId);
      return created;
    },
    'annotations.update': async ({ id, geometry, actor }) => {
      const updated = service().update(id, geometry, actor);
      changed(updated.imageId);
      return updated;
    },
    'annotations.delete': async ({ id, actor }) => {
      const s = service();
      const before = s.get(id);
      const result = s.delete(id, actor);
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
