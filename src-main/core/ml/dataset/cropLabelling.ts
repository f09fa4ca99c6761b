// Main side of the crop labelling view: the grid page with current labels, one label decision
// (appended to the decision log at once; the crop row is created on demand), undo of the
// latest label decision still in effect, and the running counts per class.
import type { ProjectStore } from '../../project/projectStore';
import type { LabelValue } from '../../project/decisionsRepo';
import type { ImageRow } from '../../project/imagesRepo';
import { isBackgroundCrop } from './backgroundTest';
import { cropGrid } from './cropGrid';

export interface GridCrop {
  cropId: number | null;
  x: number;
  y: number;
  size: number;
  index: number;
  labels: { classId: number; value: LabelValue }[];
}

export interface LabelCount {
  classId: number;
  present: number;
  absent: number;
  skip: number;
}

export class CropLabelError extends Error {}

export function labelCounts(store: ProjectStore): LabelCount[] {
  const rows = store.db.prepare('SELECT class_id, value, count(*) AS n FROM labels GROUP BY class_id, value').all() as {
    class_id: number;
    value: LabelValue;
    n: number;
  }[];
  return store.classes.list().map((c) => {
    const count: LabelCount = { classId: c.id, present: 0, absent: 0, skip: 0 };
    for (const r of rows) if (r.class_id === c.id) count[r.value] = r.n;
    return count;
  });
}

function imageForPixels(image: ImageRow) {
  return { id: image.id, width: image.width, height: image.height, bitsPerSample: image.bits_per_sample, channels: image.channels as 1 | 3, tileSize: image.tile_size, levels: image.levels };
}

export async function gridPage(
  store: ProjectStore,
  image: ImageRow,
  o: { cropSize: number; offset: number; limit: number; hideBackground: boolean },
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
  for (let index = 0; index < grid.length && crops.length < o.limit; index++) {
    const g = grid[index] as { x: number; y: number; size: number };
    const cropId = existing.get(`${g.x}:${g.y}`) ?? null;
    const cropLabels = cropId === null ? [] : (labels.get(cropId) ?? []);
    if (o.hideBackground && cropLabels.length === 0 && (await isBackgroundCrop(store.dir, imageForPixels(image), g.x, g.y, g.size))) {
      hidden++;
      continue;
    }
    if (seen++ < o.offset) continue;
    crops.push({ cropId, x: g.x, y: g.y, size: g.size, index, labels: cropLabels });
  }
  return { total: grid.length, hidden, crops };
}

export function labelCrop(
  store: ProjectStore,
  image: ImageRow,
  o: { x: number; y: number; size: number; classId: number; value: LabelValue; actor: string },
): { decisionId: number; cropId: number } {
  if (o.x + o.size > image.width || o.y + o.size > image.height) {
    throw new CropLabelError(`crop ${o.size}² at (${o.x}, ${o.y}) is outside image ${image.id} (${image.width}×${image.height})`);
  }
  if (!store.classes.get(o.classId)) throw new CropLabelError(`no class ${o.classId}`);
  return store.transaction(() => {
    const [cropId] = store.crops.ensure(image.id, [{ x: o.x, y: o.y, width: o.size, height: o.size }]);
    if (cropId === undefined) throw new Error('crop row was not created');
    const d = store.decisions.append({ actor: o.actor, targetKind: 'crop', targetId: cropId, classId: o.classId, action: 'label', payload: { value: o.value } });
    return { decisionId: d.id, cropId };
  });
}

/** Undoes the most recent label decision that is still in effect; null when there is none. */
export function undoLastLabel(store: ProjectStore, actor: string): { undoneDecisionId: number; cropId: number } | null {
  return store.transaction(() => {
    const recent = store.db
      .prepare("SELECT id, target_id, class_id FROM decisions WHERE target_kind = 'crop' AND action = 'label' ORDER BY id DESC LIMIT 500")
      .all() as { id: number; target_id: number; class_id: number }[];
    for (const d of recent) {
      if (store.decisions.current('crop', d.target_id, d.class_id)?.id !== d.id) continue;
      store.decisions.undo(d.id, actor);
      return { undoneDecisionId: d.id, cropId: d.target_id };
    }
    return null;
  });
}
