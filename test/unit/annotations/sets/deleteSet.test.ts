// Deleting an annotation set: its entries and imports go on every image, in one step, with who
// deleted it and when recorded; the training crops made from its markers stay, with their labels
// and their provenance (the set's name and id), and the outcome counts them; a set made after
// the deletion never takes the deleted set's id, so that provenance keeps meaning the deleted
// set — and markerCrops makes crops for the new set's markers rather than taking the old crops
// for theirs.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteAnnotationSet, setDeletionPreview } from '../../../../src-main/core/annotations/sets/deleteSet';
import { markerCrops } from '../../../../src-main/core/annotations/sets/markerCrops';
import type { ParsedAnnotation } from '../../../../src-main/core/annotations/sets/parsedAnnotation';
import { annotationSetSummaries } from '../../../../src-main/core/annotations/sets/setSummaries';
import { openProjectStore, type ProjectStore } from '../../../../src-main/core/project/projectStore';
import { makeTempDir, removeDir } from '../../project/tempProject';

let dir: string;
let store: ProjectStore;
const images: number[] = [];

function addSet(name: string, imageId: number, pts: ReadonlyArray<readonly [number, number]>): number {
  const repo = store.annotationSets;
  const set = repo.ensure(name, 'alice');
  const importId = repo.addImport({ setId: set.id, imageId, actor: 'alice', sourceName: `${name}.csv`, format: 'csv', units: 'px' });
  const entries: ParsedAnnotation[] = pts.map(([x, y], i) => ({ where: `line ${i + 2}`, geometry: { type: 'Point', coordinates: [x, y] }, className: 'Axon', objectType: null, featureId: null, properties: {} }));
  repo.addEntries(set.id, imageId, importId, entries);
  return set.id;
}

const labels = () =>
  store.db
    .prepare("SELECT l.value, json_extract(d.payload, '$.source.set') AS setName, json_extract(d.payload, '$.source.setId') AS setId FROM labels l JOIN decisions d ON d.id = l.decision_id ORDER BY d.id")
    .all() as Array<{ value: string; setName: string; setId: number }>;

beforeEach(() => {
  dir = makeTempDir('micra-delete-set-');
  store = openProjectStore(path.join(dir, 'p'), { create: true });
  images.length = 0;
  for (const name of ['a.tif', 'b.tif']) {
    const id = store.images.insertImporting({ name, width: 1024, height: 768, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: name, contentHash: null });
    store.images.markReady(id);
    images.push(id);
  }
});

afterEach(() => {
  store.close();
  removeDir(dir);
});

describe('deleting an annotation set', () => {
  it('removes its entries everywhere, records the deletion and keeps the crop labels made from it', () => {
    const [a, b] = images as [number, number];
    const oldId = addSet('expert-a', a, [[100, 100], [600, 300]]);
    addSet('expert-a', b, [[50, 50]]);
    addSet('expert-b', a, [[120, 110]]);
    const made = markerCrops(store, { imageId: a, setName: 'expert-a', cropSize: 256, ratio: 1, seed: 1, actor: 'alice' });
    expect(made).toMatchObject({ positives: 2, negatives: 2 });
    const before = labels();
    expect(before).toHaveLength(4);

    expect(setDeletionPreview(store, 'EXPERT-A')).toEqual({ set: 'expert-a', setId: oldId, entries: 3, imports: 2, imageIds: [a, b], cropLabelsKept: 4 });
    const outcome = deleteAnnotationSet(store, 'expert-a', 'bob');
    expect(outcome).toEqual({ set: 'expert-a', setId: oldId, entries: 3, imports: 2, imageIds: [a, b], cropLabelsKept: 4, deletedBy: 'bob' });

    expect(annotationSetSummaries(store.annotationSets).map((s) => s.name)).toEqual(['expert-b']);
    expect(store.db.prepare('SELECT count(*) AS n FROM set_annotations WHERE set_id = ?').get(oldId)).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM annotation_set_imports WHERE set_id = ?').get(oldId)).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT set_id, name, created_by, deleted_by, entries, images, crop_labels_kept FROM annotation_set_deletions').all()).toEqual([
      { set_id: oldId, name: 'expert-a', created_by: 'alice', deleted_by: 'bob', entries: 3, images: 2, crop_labels_kept: 4 },
    ]);
    // The labels are untouched, and still say where they came from.
    expect(labels()).toEqual(before);
    expect(labels().every((l) => l.setName === 'expert-a' && l.setId === oldId)).toBe(true);
    // The other set is intact.
    expect(store.annotationSets.entries(store.annotationSets.find('expert-b')!.id, a)).toHaveLength(1);
    expect(() => deleteAnnotationSet(store, 'expert-a', 'bob')).toThrow(/no annotation set named "expert-a" \(the project has expert-b\)/);
  });

  it('never gives a deleted set\'s id to a new set, so old crops are not mistaken for the new set\'s', () => {
    const [a] = images as [number];
    // expert-b first, so the deleted set holds the highest id (the one SQLite would reuse).
    addSet('expert-b', a, [[900, 700]]);
    const oldId = addSet('expert-a', a, [[100, 100]]);
    markerCrops(store, { imageId: a, setName: 'expert-a', cropSize: 256, ratio: 0, seed: 1, actor: 'alice' });
    deleteAnnotationSet(store, 'expert-a', 'bob');
    const newId = addSet('expert-a', a, [[100, 100], [600, 300]]);
    expect(newId).toBeGreaterThan(oldId);
    const again = markerCrops(store, { imageId: a, setName: 'expert-a', cropSize: 256, ratio: 0, seed: 7, actor: 'alice' });
    // No marker of the new set counts as "already made" by the deleted set's crops.
    expect(again.alreadyMade).toBe(0);
    expect(again.positives + again.alreadyLabelled).toBe(2);
  });
});
