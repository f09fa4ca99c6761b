// Deleting an annotation set: its entries and imports on every image go, in one transaction, and
// the deletion is recorded (who, when, what it held; migration 009). Training crops made from the
// set's markers (markerCrops) are NOT withdrawn: their labels are the lab's training data, a
// model may already have been trained on them, and the decision log is append-only. Each keeps
// its provenance — the set's name and id in its decision's payload — and the outcome says how
// many there are, so the user is told rather than surprised. A lab that wants them gone
// relabels or undoes them in the crop grid, like any other label.
import type { ProjectStore } from '../../project/projectStore';
import { requireSet } from './annotationSetsRepo';

export interface DeleteSetOutcome {
  set: string;
  setId: number;
  /** Entries and imports removed, and the images they were on. */
  entries: number;
  imports: number;
  imageIds: number[];
  /** Crop labels in effect that were made from the set's markers: kept, with their provenance. */
  cropLabelsKept: number;
  deletedBy: string;
}

/** Crop labels in effect whose decision names the set as their source. */
export function cropLabelsFromSet(store: ProjectStore, setId: number): number {
  const row = store.db
    .prepare(
      `SELECT count(*) AS n FROM labels l JOIN decisions d ON d.id = l.decision_id
       WHERE json_extract(d.payload, '$.source.kind') = 'annotation-set' AND json_extract(d.payload, '$.source.setId') = ?`,
    )
    .get(setId) as { n: number };
  return row.n;
}

/** What deleting the set would remove and keep, without deleting (for a confirmation). */
export function setDeletionPreview(store: ProjectStore, name: string): Omit<DeleteSetOutcome, 'deletedBy'> {
  const set = requireSet(store.db, name);
  const entries = (store.db.prepare('SELECT count(*) AS n FROM set_annotations WHERE set_id = ?').get(set.id) as { n: number }).n;
  const imports = (store.db.prepare('SELECT count(*) AS n FROM annotation_set_imports WHERE set_id = ?').get(set.id) as { n: number }).n;
  const imageIds = (store.db.prepare('SELECT DISTINCT image_id FROM annotation_set_imports WHERE set_id = ? ORDER BY image_id').all(set.id) as Array<{ image_id: number }>).map((r) => r.image_id);
  return { set: set.name, setId: set.id, entries, imports, imageIds, cropLabelsKept: cropLabelsFromSet(store, set.id) };
}

export function deleteAnnotationSet(store: ProjectStore, name: string, actor: string): DeleteSetOutcome {
  return store.transaction(() => {
    const preview = setDeletionPreview(store, name);
    const set = requireSet(store.db, name);
    store.db
      .prepare('INSERT INTO annotation_set_deletions (set_id, name, created_by, created_at, deleted_by, entries, images, crop_labels_kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(set.id, set.name, set.created_by, set.created_at, actor, preview.entries, preview.imageIds.length, preview.cropLabelsKept);
    // Imports and entries go with the set (ON DELETE CASCADE, migration 006).
    store.db.prepare('DELETE FROM annotation_sets WHERE id = ?').run(set.id);
    return { ...preview, deletedBy: actor };
  });
}
