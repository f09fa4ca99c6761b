// Wires manual annotation editing onto a viewer: the store (server state), the pointer tool,
// the keyboard shortcuts and the annotations overlay layer.
import type { MicraApi } from '../../src-main/api/types';
import type { DeepZoomViewer } from '../viewer/deepZoomViewer';
import { annotationOverlay } from '../viewer/annotationShapes';
import type { AnnotationCommand, ToolName } from '../viewer/annotationKeys';
import { annotationCommand } from '../viewer/annotationKeys';
import { AnnotationTool } from '../viewer/annotationTool';
import type { AnnotationSnapshot } from './annotationStore';
import { AnnotationStore } from './annotationStore';

export interface AnnotationEditing {
  readonly store: AnnotationStore;
  readonly tool: AnnotationTool;
  setTool(tool: ToolName): void;
  run(command: AnnotationCommand): void;
  detach(): void;
}

function isTextInput(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

export function attachAnnotationEditing(
  viewer: DeepZoomViewer,
  canvas: HTMLCanvasElement,
  api: MicraApi,
  onChange: (s: AnnotationSnapshot, tool: ToolName) => void,
): AnnotationEditing {
  let tool: AnnotationTool | null = null;
  const store = new AnnotationStore(api, (s) => {
    viewer.overlays.setShapes('annotations', annotationOverlay(s.annotations, s.selectedId, (a) => store.classColor(a.classId)));
    onChange(s, tool?.current ?? 'select');
  });
  tool = new AnnotationTool(viewer, canvas, {
    annotations: () => store.snapshot().annotations,
    selectedId: () => store.snapshot().selectedId,
    select: (id) => store.select(id),
    create: (g) => void store.create(g),
    update: (id, g) => void store.update(id, g),
    preview: (id, g) => store.preview(id, g),
  });
  const t = tool;
  const setTool = (name: ToolName): void => {
    t.setTool(name);
    onChange(store.snapshot(), name);
  };
  const run = (c: AnnotationCommand): void => {
    switch (c.kind) {
      case 'tool':
        setTool(c.tool);
        break;
      case 'delete':
        if (!t.removeLastVertex()) void store.deleteSelected();
        break;
      case 'undo':
        if (t.drawing) t.cancel();
        else void store.undo();
        break;
      case 'redo':
        void store.redo();
        break;
      case 'finish':
        t.finishPolygon();
        break;
      case 'cancel':
        if (t.drawing) t.cancel();
        else store.select(null);
        break;
    }
  };
  const key = (e: KeyboardEvent): void => {
    if (isTextInput(e.target)) return;
    const c = annotationCommand(e);
    if (!c) return;
    e.preventDefault();
    run(c);
  };
  window.addEventListener('keydown', key);
  return {
    store,
    tool: t,
    setTool,
    run,
    detach() {
      window.removeEventListener('keydown', key);
      t.destroy();
      store.dispose();
    },
  };
}
