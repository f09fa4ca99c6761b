// Every object of a project — each suggestion of a sweep and each region the expert added —
// with its decision in effect (who, when) and its measurements. The measurement table, the
// exports and the CLI all read objects from here, so they agree with each other and with the
// decision log.
import type { ClassRow } from '../project/classesRepo';
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import { inMicrometres, measureRegion, type PhysicalMeasurements, type PixelMeasurements } from '../metrics/objectMeasurements';
import { classNamer } from '../review/classNaming';
import { tightenRegion, type MaskRegion } from '../review/maskRegion';
import { reviewItemsOfImage } from '../review/reviewItems';

/** A suggestion's review state, or 'added' for a region the expert added. */
export type ObjectDecision = 'pending' | 'accepted' | 'declined' | 'later' | 'added';
/** Which objects an export or a total covers: the accepted ones (and added regions), or every one. */
export type ObjectSelection = 'accepted' | 'all';

export interface ProjectObject {
  kind: 'suggestion' | 'annotation';
  id: number;
  image: ImageRow;
  classId: number;
  className: string;
  color: string;
  score: number | null;
  decision: ObjectDecision;
  /** Actor and time of the decision in effect; null while a suggestion has none. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** Tight box of the mask pixels, the mask over it. */
  region: MaskRegion;
  pixel: PixelMeasurements;
  /** Null when the image's pixel size is unknown. */
  physical: PhysicalMeasurements | null;
}

export function isAcceptedObject(o: Pick<ProjectObject, 'decision'>): boolean {
  return o.decision === 'accepted' || o.decision === 'added';
}

export interface ObjectQuery {
  /** Only these images (default: every ready image). */
  imageIds?: readonly number[];
  which?: ObjectSelection;
}

/** The ready images a query covers, in id order. */
export function queriedImages(store: ProjectStore, imageIds?: readonly number[]): ImageRow[] {
  return store.images.list().filter((i) => i.status === 'ready' && (!imageIds || imageIds.includes(i.id)));
}

export function projectObjects(store: ProjectStore, query: ObjectQuery = {}): ProjectObject[] {
  const nameOf = classNamer(store);
  const out: ProjectObject[] = [];
  for (const image of queriedImages(store, query.imageIds)) {
    for (const item of reviewItemsOfImage(store, image.id)) {
      const decision: ObjectDecision = item.kind === 'annotation' ? 'added' : item.state;
      if (query.which === 'accepted' && !isAcceptedObject({ decision })) continue;
      // An empty mask is no object (nothing to measure, outline or label).
      const region = tightenRegion(item.region);
      if (!region) continue;
      const decided = item.decisionId === null ? undefined : store.decisions.actorAndTime(item.decisionId);
      const pixel = measureRegion(region);
      out.push({
        kind: item.kind,
        id: item.id,
        image,
        classId: item.classId,
        ...nameOf(item.classId),
        score: item.score,
        decision,
        decidedBy: decided?.actor ?? null,
        decidedAt: decided?.createdAt ?? null,
        region,
        pixel,
        physical: inMicrometres(pixel, image.pixel_size_nm),
      });
    }
  }
  return out;
}

/**
 * Each object's label in the label TIFF of its image: 1, 2, … in the order given, counted per
 * image (the order of the per-object CSV, the GeoJSON features and the COCO annotations).
 */
export function labelsInImage(objects: readonly ProjectObject[]): Map<ProjectObject, number> {
  const next = new Map<number, number>();
  const labels = new Map<ProjectObject, number>();
  for (const o of objects) {
    const label = (next.get(o.image.id) ?? 0) + 1;
    next.set(o.image.id, label);
    labels.set(o, label);
  }
  return labels;
}

export interface ClassTotals {
  image: ImageRow;
  classId: number;
  className: string;
  count: number;
  totalAreaPx: number;
  /** Null when the image's pixel size is unknown. */
  totalAreaUm2: number | null;
}

/**
 * Count and total area per image and class of the given objects (every class of the project
 * for every image, zero when it has none), images in the order given.
 */
export function totalsByImageAndClass(images: readonly ImageRow[], classes: readonly ClassRow[], objects: readonly ProjectObject[]): ClassTotals[] {
  const out: ClassTotals[] = [];
  for (const image of images) {
    const ofImage = objects.filter((o) => o.image.id === image.id);
    const classList = [...classes.map((c) => ({ id: c.id, name: c.name }))];
    for (const o of ofImage) if (!classList.some((c) => c.id === o.classId)) classList.push({ id: o.classId, name: o.className });
    for (const cls of classList) {
      const of = ofImage.filter((o) => o.classId === cls.id);
      const totalAreaPx = of.reduce((s, o) => s + o.pixel.areaPx, 0);
      const um = image.pixel_size_nm === null ? null : image.pixel_size_nm / 1000;
      out.push({ image, classId: cls.id, className: cls.name, count: of.length, totalAreaPx, totalAreaUm2: um === null ? null : totalAreaPx * um * um });
    }
  }
  return out;
}
