// What review produced for an image: the accepted suggestions (with any adjusted geometry) and
// the regions the expert added, each with its class. Export and "retrain from decisions" read
// this one function.
import type { ProjectStore } from '../project/projectStore';
import { tightenRegion, type MaskRegion } from './maskRegion';
import { reviewItemsOfImage } from './reviewItems';

export interface AcceptedRegion {
  kind: 'suggestion' | 'annotation';
  id: number;
  imageId: number;
  classId: number;
  className: string;
  color: string;
  score: number | null;
  /** Tight box of the mask pixels; the mask over it. */
  region: MaskRegion;
}

export function acceptedRegions(store: ProjectStore, imageId: number): AcceptedRegion[] {
  const classes = new Map(store.classes.list().map((c) => [c.id, c]));
  const out: AcceptedRegion[] = [];
  for (const item of reviewItemsOfImage(store, imageId)) {
    if (item.state !== 'accepted') continue;
    const region = tightenRegion(item.region);
    if (!region) continue;
    const cls = classes.get(item.classId);
    out.push({
      kind: item.kind,
      id: item.id,
      imageId,
      classId: item.classId,
      className: cls?.name ?? `class ${item.classId}`,
      color: cls?.color ?? '#ff0000',
      score: item.score,
      region,
    });
  }
  return out;
}
