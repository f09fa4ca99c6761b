// Main side of the crop labelling view: the grid page with current labels, one label decision
// (appended to the decision log at once; the crop row is created on demand), undo of the
// latest label decision still in effect, and the running counts per class.
import type { ProjectStore } from '../../project/projectStore';
import type { LabelValue } from '../../project/decisionsRepo';
import type { ImageRow } from '../../project/imagesRepo';
import { isBackgroundCrop } from './backgroundTest';
import { cropGrid } from '../../../../src-shared/cropGrid';
import { labelsRecorded } from '../training/labelsRecorded';
import { DomainError } from '../../../api/domainError';
import { imageGeometry } from '../../project/imageSummary';

export interface GridCrop {
  cropId: number | null;
  x: number;
  y: number;
  size: number;
  index: number;
  labels: { classId: number; value: LabelValue }[];
  /** The ordering model's score (null: background, not scored); only when the page is ordered by it. */
  score?: number | null;
}

/** Active labelling's order of the grid (cropOrder.ts): grid indices, and every grid crop's score. */
export interface GridOrder {
  indices: readonly number[];
  scores: readonly (number | null)[];
}

export interface LabelCount {
  classId: number;
  present: number;
  absent: number;
  skip: number;
}

export function labelCounts(store: ProjectStore): LabelCount[] {
  const rows = store.crops.labelValueCounts();
  return store.classes.list().map((c) => {
    const count: LabelCount = { classId: c.id, present: 0, absent: 0, skip: 0 };
    for (const r of rows) if (r.class_id === c.id) count[r.value] = r.n;
    return count;
  });
}


export async function gridPage(
  store: ProjectStore,
  image: ImageRow,
  o: { cropSize: number; offset: number; limit: number; hideBackground: boolean; order?: GridOrder | undefined },
): Promise<{ total: number; hidden: number; crops: GridCrop[] }> {
  const grid = cropGrid(image.width, image.height, o.cropSize);
  const existing = new Map(
    store.crops
      .listForImage(image.id)
      .filter((c) => c.width === o.cropSize && c.height === o.cropSize)
      .map((c) => [`${c.x}:${c.y}`, c.id]),
  );
  const labels = new Map<number, { classId: number; value: LabelValue }[]>();
  for (const l of store.crops.labelsForImage(image.id)) {
    const list = labels.get(l.crop_id) ?? [];
    list.push({ classId: l.class_id, value: l.value });
    labels.set(l.crop_id, list);
  }
  const crops: GridCrop[] = [];
  let hidden = 0;
  let seen = 0;
  // Paging counts visible crops, so a page is full even when background crops are hidden.
  // In an ordered page a null score is the scoring job's background verdict: no second test.
  for (let k = 0; k < grid.length && crops.length < o.limit; k++) {
    const index = o.order ? (o.order.indices[k] as number) : k;
    const g = grid[index] as { x: number; y: number; size: number };
    const cropId = existing.get(`${g.x}:${g.y}`) ?? null;
    const cropLabels = cropId === null ? [] : (labels.get(cropId) ?? []);
    const score = o.order ? (o.order.scores[index] ?? null) : undefined;
    if (o.hideBackground && cropLabels.length === 0 && (o.order ? score === null : await isBackgroundCrop(store.dir, imageGeometry(image), g.x, g.y, g.size))) {
      hidden++;
      continue;
    }
    if (seen++ < o.offset) continue;
    crops.push({ cropId, x: g.x, y: g.y, size: g.size, index, labels: cropLabels, ...(score === undefined ? {} : { score }) });
  }
  return { total: grid.length, hidden, crops };
}

export function labelCrop(
  store: ProjectStore,
  image: ImageRow,
  o: { x: number; y: number; size: number; classId: number; value: LabelValue; actor: string },
): { decisionId: number; cropId: number } {
  if (o.x + o.size > image.width || o.y + o.size > image.height) {
    throw new DomainError('bad-request', `crop ${o.size}² at (${o.x}, ${o.y}) is outside image ${image.id} (${image.width}×${image.height})`);
  }
  if (!store.classes.get(o.classId)) throw new DomainError('bad-request', `no class ${o.classId}`);
  const labelled = store.transaction(() => {
    const [cropId] = store.crops.ensure(image.id, [{ x: o.x, y: o.y, width: o.size, height: o.size }]);
    if (cropId === undefined) throw new Error('crop row was not created');
    const d = store.decisions.append({ actor: o.actor, targetKind: 'crop', targetId: cropId, classId: o.classId, action: 'label', payload: { value: o.value } });
    return { decisionId: d.id, cropId };
  });
  // Background preparation of the next retrain's features (featurePrepScheduler.ts).
  labelsRecorded(store);
  return labelled;
}

/** Undoes the most recent label decision that is still in effect; null when there is none. */
export function undoLastLabel(store: ProjectStore, actor: string): { undoneDecisionId: number; cropId: number } | null {
  return store.transaction(() => {
    const recent = store.decisions.recentCropLabels(500);
    for (const d of recent) {
      if (store.decisions.current('crop', d.target_id, d.class_id)?.id !== d.id) continue;
      store.decisions.undo(d.id, actor);
      return { undoneDecisionId: d.id, cropId: d.target_id };
    }
    return null;
  });
}
