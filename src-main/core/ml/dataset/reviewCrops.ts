// Review decisions as training data: an accepted suggestion (or an expert-added region) becomes
// a crop of the model's input size centred on the region, positive for its class; a declined
// suggestion becomes a crop centred on it, negative for its class. Other classes are unknown
// for these crops (weight 0). The sweep/review flow and the dataset builder both call this.
import type { ProjectStore } from '../../project/projectStore';
import { reviewItemsOfImage } from '../../review/reviewItems';
import { centredCrop, type CropRectPx } from '../../../../src-shared/cropGrid';

export interface ReviewCrop extends CropRectPx {
  imageId: number;
  classId: number;
  value: 'present' | 'absent';
  kind: 'suggestion' | 'annotation';
  /** The suggestion or annotation id. */
  sourceId: number;
}

export function reviewDecisionCrops(store: ProjectStore, imageId: number, cropSize: number): ReviewCrop[] {
  const image = store.images.get(imageId);
  if (!image) return [];
  const out: ReviewCrop[] = [];
  for (const item of reviewItemsOfImage(store, imageId)) {
    if (item.state !== 'accepted' && item.state !== 'declined') continue;
    const r = item.region;
    const crop = centredCrop(r.x + r.width / 2, r.y + r.height / 2, cropSize, image.width, image.height);
    if (!crop) continue;
    out.push({ ...crop, imageId, classId: item.classId, value: item.state === 'accepted' ? 'present' : 'absent', kind: item.kind, sourceId: item.id });
  }
  return out;
}
