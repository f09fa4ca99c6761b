// Objects as COCO instance annotations with uncompressed RLE masks (pycocotools' format: counts
// column-major over the whole image). Categories are the project's classes; `area` is the mask's
// pixel count, `bbox` its tight box. What COCO has no field for (which object and decision it is,
// its label in the label TIFF, the measurements) goes in `attributes`, as CVAT writes them;
// pycocotools ignores extra keys.
import type { ClassRow } from '../project/classesRepo';
import type { ImageRow } from '../project/imagesRepo';
import { encodeCocoRle, type CocoRle } from './cocoRle';
import { measurementsOf } from './exportGeoJson';
import type { ProjectObject } from './projectObjects';

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: CocoRle;
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0;
  score?: number;
  attributes: {
    object_kind: ProjectObject['kind'];
    object_id: number;
    label: number | null;
    decision: ProjectObject['decision'];
    decided_by: string | null;
    decided_at: string | null;
    measurements: Record<string, number>;
  };
}

export interface CocoDataset {
  info: { description: string; date_created: string };
  images: Array<{ id: number; file_name: string; width: number; height: number; pixel_size_nm: number | null }>;
  categories: Array<{ id: number; name: string }>;
  annotations: CocoAnnotation[];
}

export function cocoOf(images: readonly ImageRow[], classes: readonly ClassRow[], objects: readonly ProjectObject[], labels: ReadonlyMap<ProjectObject, number>): CocoDataset {
  const annotations = objects.map(
    (o, i): CocoAnnotation => ({
      id: i + 1,
      image_id: o.image.id,
      category_id: o.classId,
      segmentation: encodeCocoRle(o.region, o.image.width, o.image.height),
      area: o.pixel.areaPx,
      bbox: [o.region.x, o.region.y, o.region.width, o.region.height],
      iscrowd: 0,
      ...(o.score === null ? {} : { score: o.score }),
      attributes: {
        object_kind: o.kind,
        object_id: o.id,
        label: labels.get(o) ?? null,
        decision: o.decision,
        decided_by: o.decidedBy,
        decided_at: o.decidedAt,
        measurements: measurementsOf(o),
      },
    }),
  );
  const categories = classes.map((c) => ({ id: c.id, name: c.name }));
  for (const o of objects) if (!categories.some((c) => c.id === o.classId)) categories.push({ id: o.classId, name: o.className });
  return {
    info: { description: 'Micra Studio review export', date_created: new Date().toISOString() },
    images: images.map((image) => ({ id: image.id, file_name: image.name, width: image.width, height: image.height, pixel_size_nm: image.pixel_size_nm })),
    categories,
    annotations,
  };
}
