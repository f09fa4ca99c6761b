import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src-main/api/domainError';
import { AnnotationService, DEFAULT_CLASS } from '../../../src-main/core/annotations/annotationService';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { makeTempDir, removeDir } from '../project/tempProject';

let dir: string;
let store: ProjectStore;
let service: AnnotationService;
let imageId: number;

beforeEach(() => {
  dir = makeTempDir('micra-annotations-');
  store = openProjectStore(dir, { create: true });
  imageId = store.images.insertImporting({
    name: 'a.tif', width: 1000, height: 800, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2,
    pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null,
  });
  service = new AnnotationService(store);
});

afterEach(() => {
  store.close();
  removeDir(dir);
});

const decisionRows = (): { action: string; target_kind: string; undo_of: number | null; payload: string }[] =>
  store.db.prepare('SELECT action, target_kind, undo_of, payload FROM decisions ORDER BY id').all() as never;

describe('AnnotationService', () => {
  it('stores each change as a decision and derives the current state from the log', () => {
    const box = service.create(imageId, { shape: 'box', box: [100, 50, 40, 30] }, undefined);
    const point = service.create(imageId, { shape: 'point', x: 5, y: 6 }, undefined);
    expect(store.classes.list().map((c) => c.name)).toEqual([DEFAULT_CLASS.name]);
    service.update(box.id, { shape: 'box', box: [110, 60, 40, 30] });
    service.delete(point.id);

    const { annotations, canUndo, canRedo } = service.list(imageId);
    expect(annotations.map((a) => [a.id, a.geometry])).toEqual([[box.id, { shape: 'box', box: [110, 60, 40, 30] }]]);
    expect([canUndo, canRedo]).toEqual([true, false]);
    expect(decisionRows().map((r) => r.action)).toEqual(['create', 'create', 'update', 'delete']);
    expect(decisionRows().every((r) => r.target_kind === 'annotation')).toBe(true);
    // A fresh service on the same database sees the same state: nothing is kept in memory.
    expect(new AnnotationService(store).list(imageId).annotations).toEqual(annotations);
  });

  it('undoes newest first and redoes in reverse, as appended undo decisions', () => {
    const a = service.create(imageId, { shape: 'point', x: 1, y: 1 }, undefined);
    service.update(a.id, { shape: 'point', x: 2, y: 2 });
    const b = service.create(imageId, { shape: 'polygon', points: [[0, 0], [10, 0], [5, 9]] }, undefined);

    const geometries = (): unknown[] => service.list(imageId).annotations.map((x) => x.geometry);
    expect(service.undo(imageId)).toMatchObject({ annotationId: b.id, annotation: null, canUndo: true, canRedo: true });
    expect(geometries()).toEqual([{ shape: 'point', x: 2, y: 2 }]);
    expect(service.undo(imageId).annotation?.geometry).toEqual({ shape: 'point', x: 1, y: 1 });
    expect(service.undo(imageId)).toMatchObject({ annotationId: a.id, annotation: null, canUndo: false });
    expect(service.undo(imageId).decisionId).toBeNull();

    expect(service.redo(imageId).annotation?.geometry).toEqual({ shape: 'point', x: 1, y: 1 });
    expect(service.redo(imageId).annotation?.geometry).toEqual({ shape: 'point', x: 2, y: 2 });
    expect(service.redo(imageId)).toMatchObject({ annotationId: b.id, canRedo: false });
    expect(geometries()).toHaveLength(2);
    // Undo after redo takes the redone change back again.
    expect(service.undo(imageId).annotationId).toBe(b.id);

    const rows = decisionRows();
    expect(rows.filter((r) => r.action === 'undo')).toHaveLength(7);
    expect(rows.every((r) => (r.action === 'undo') === (r.undo_of !== null))).toBe(true);
  });

  it('forgets the redo stack once something new is drawn', () => {
    service.create(imageId, { shape: 'point', x: 1, y: 1 }, undefined);
    service.undo(imageId);
    expect(service.list(imageId).canRedo).toBe(true);
    service.create(imageId, { shape: 'point', x: 3, y: 3 }, undefined);
    expect(service.list(imageId).canRedo).toBe(false);
    expect(service.redo(imageId).decisionId).toBeNull();
    expect(service.list(imageId).annotations.map((a) => a.geometry)).toEqual([{ shape: 'point', x: 3, y: 3 }]);
  });

  it('refuses geometry outside the image, shape changes and edits of deleted annotations', () => {
    expect(() => service.create(imageId, { shape: 'box', box: [990, 0, 20, 5] }, undefined)).toThrow(DomainError);
    expect(() => service.create(imageId, { shape: 'point', x: 1000, y: 0 }, undefined)).toThrow(/outside/);
    const p = service.create(imageId, { shape: 'point', x: 1, y: 1 }, undefined);
    expect(() => service.update(p.id, { shape: 'box', box: [0, 0, 2, 2] })).toThrow(/not a box/);
    service.delete(p.id);
    expect(() => service.update(p.id, { shape: 'point', x: 2, y: 2 })).toThrow(/no annotation/);
    expect(() => service.delete(p.id)).toThrow(/no annotation/);
    expect(() => service.create(imageId, { shape: 'point', x: 1, y: 1 }, 999)).toThrow(/no class/);
  });

  it('keeps images apart', () => {
    const other = store.images.insertImporting({
      name: 'b.tif', width: 10, height: 10, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1,
      pixelSizeNm: null, sourcePath: 'b.tif', contentHash: null,
    });
    service.create(imageId, { shape: 'point', x: 1, y: 1 }, undefined);
    service.create(other, { shape: 'point', x: 2, y: 2 }, undefined);
    service.undo(other);
    expect(service.list(imageId).annotations).toHaveLength(1);
    expect(service.list(other).annotations).toHaveLength(0);
  });
});
