// What review produced for an image: the accepted suggestions (with any adjusted geometry) and
// the regions the expert added, each with its class. Export and "retrain from decisions" read
// this one function.
import type { ProjectStore } from '../project/projectStore';
import { classNamer } from './classNaming';
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
  const nameOf = classNamer(store);
  const out: AcceptedRegion[] = [];
  for (const item of reviewItemsOfImage(store, imageId)) {
    if (item.state !== 'accepted') continue;
    const region = tightenRegion(item.region);
    if (!region) continue;
    out.push({
      kind: item.kind,
      id: item.id,
      imageId,
      classId: item.classId,
      ...nameOf(item.classId),
      score: item.score,
      region,
    });
  }
  return out;
}
