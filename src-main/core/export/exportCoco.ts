// Accepted regions as COCO instance annotations with uncompressed RLE masks (pycocotools'
// format: counts column-major over the whole image). Categories are the project's classes.
import type { ClassRow } from '../project/classesRepo';
import type { ImageRow } from '../project/imagesRepo';
import type { AcceptedRegion } from '../review/acceptedRegions';
import { maskArea } from '../review/maskRegion';
import { encodeCocoRle, type CocoRle } from './cocoRle';

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: CocoRle;
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0;
  score?: number;
}

export interface CocoDataset {
  info: { description: string; date_created: string };
  images: Array<{ id: number; file_name: string; width: number; height: number }>;
  categories: Array<{ id: number; name: string }>;
  annotations: CocoAnnotation[];
}

export function cocoOf(images: ReadonlyArray<{ image: ImageRow; regions: readonly AcceptedRegion[] }>, classes: readonly ClassRow[]): CocoDataset {
  let nextId = 1;
  const annotations: CocoAnnotation[] = [];
  for (const { image, regions } of images) {
    for (const r of regions) {
      annotations.push({
        id: nextId++,
        image_id: image.id,
        category_id: r.classId,
        segmentation: encodeCocoRle(r.region, image.width, image.height),
        area: maskArea(r.region.mask),
        bbox: [r.region.x, r.region.y, r.region.width, r.region.height],
        iscrowd: 0,
        ...(r.score === null ? {} : { score: r.score }),
      });
    }
  }
  return {
    info: { description: 'Micra Studio review export', date_created: new Date().toISOString() },
    images: images.map(({ image }) => ({ id: image.id, file_name: image.name, width: image.width, height: image.height })),
    categories: classes.map((c) => ({ id: c.id, name: c.name })),
    annotations,
  };
}
