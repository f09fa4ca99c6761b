// Deleting an annotation set: its entries and imports on every image go, in one transaction, and
// the deletion is recorded (who, when, what it held; migration 009). Training crops made from the
// set's markers (markerCrops) are NOT withdrawn: their labels are the lab's training data, a
// model may already have been trained on them, and the decision log is append-only. Each keeps
// its provenance — the set's name and id in its decision's payload — and the outcome says how
// many there are, so the user is told rather than surprised. A lab that wants them gone
// relabels or undoes them in the crop grid, like any other label.
import type { ProjectStore } from '../../project/projectStore';

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

/** What deleting the set would remove and keep, without deleting (for a confirmation). */
export function setDeletionPreview(store: ProjectStore, name: string): Omit<DeleteSetOutcome, 'deletedBy'> {
  const set = store.annotationSets.require(name);
  const sets = store.annotationSets;
  return {
    set: set.name,
    setId: set.id,
    entries: sets.entryCount(set.id),
    imports: sets.importCount(set.id),
    imageIds: sets.imageIds(set.id),
    cropLabelsKept: store.crops.labelsFromSetCount(set.id),
  };
}

export function deleteAnnotationSet(store: ProjectStore, name: string, actor: string): DeleteSetOutcome {
  return store.transaction(() => {
    const preview = setDeletionPreview(store, name);
    const set = store.annotationSets.require(name);
    store.annotationSets.deleteRecorded(set, { deletedBy: actor, entries: preview.entries, images: preview.imageIds.length, cropLabelsKept: preview.cropLabelsKept });
    return { ...preview, deletedBy: actor };
  });
}
