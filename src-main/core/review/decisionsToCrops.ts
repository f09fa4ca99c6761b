// "Retrain from decisions": review decisions as image-level labelled crops for the training
// dataset. An accepted region gives a positive crop centred on it; a declined suggestion a
// negative crop centred on it (the model was wrong there: the most useful negatives). Crops
// are model-size squares in level-0 pixels, clamped inside the image. The training engineer's
// dataset module consumes these (e.g. CropsRepo.ensure + 'label' decisions).
import type { ProjectStore } from '../project/projectStore';
import { acceptedRegions } from './acceptedRegions';
import { reviewItemsOfImage } from './reviewItems';

export interface DecisionCrop {
  imageId: number;
  classId: number;
  x: number;
  y: number;
  width: number;
  height: number;
  label: 'present' | 'absent';
  /** What the crop comes from: an accepted / declined suggestion or an added region. */
  source: { kind: 'suggestion' | 'annotation'; id: number; decisionId: number | null };
}

/** A size × size square centred on the box, moved inside the image (smaller only for a smaller image). */
export function centredCrop(box: readonly [number, number, number, number], size: number, imageWidth: number, imageHeight: number) {
  const width = Math.min(size, imageWidth);
  const height = Math.min(size, imageHeight);
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const x = Math.max(0, Math.min(imageWidth - width, Math.round(cx - width / 2)));
  const y = Math.max(0, Math.min(imageHeight - height, Math.round(cy - height / 2)));
  return { x, y, width, height };
}

export function decisionsToCrops(store: ProjectStore, opts: { cropSize: number; imageIds?: readonly number[] }): DecisionCrop[] {
  const crops: DecisionCrop[] = [];
  for (const image of store.images.list()) {
    if (image.status !== 'ready' || (opts.imageIds && !opts.imageIds.includes(image.id))) continue;
    const items = reviewItemsOfImage(store, image.id);
    const decisionOf = new Map(items.map((i) => [`${i.kind}:${i.id}`, i.decisionId]));
    for (const r of acceptedRegions(store, image.id)) {
      const box = [r.region.x, r.region.y, r.region.width, r.region.height] as const;
      crops.push({
        imageId: image.id,
        classId: r.classId,
        ...centredCrop(box, opts.cropSize, image.width, image.height),
        label: 'present',
        source: { kind: r.kind, id: r.id, decisionId: decisionOf.get(`${r.kind}:${r.id}`) ?? null },
      });
    }
    for (const item of items) {
      if (item.kind !== 'suggestion' || item.state !== 'declined') continue;
      crops.push({
        imageId: image.id,
        classId: item.classId,
        ...centredCrop(item.box, opts.cropSize, image.width, image.height),
        label: 'absent',
        source: { kind: 'suggestion', id: item.id, decisionId: item.decisionId },
      });
    }
  }
  return crops;
}
