// What each annotation set of a project holds: who made it and when, and per image its entries
// by geometry. One reading for `micra annotations list` and the app's layer panel.
import type { AnnotationSetsRepo } from '../../project/annotationSetsRepo';

export interface SetImageCounts {
  imageId: number;
  entries: number;
  byGeometry: Record<string, number>;
}

export interface SetSummary {
  id: number;
  name: string;
  createdBy: string;
  createdAt: string;
  images: SetImageCounts[];
}

export function annotationSetSummaries(repo: AnnotationSetsRepo): SetSummary[] {
  return repo.list().map((s) => {
    const images = new Map<number, SetImageCounts>();
    for (const c of repo.counts(s.id)) {
      const im = images.get(c.imageId) ?? { imageId: c.imageId, entries: 0, byGeometry: {} };
      im.entries += c.count;
      im.byGeometry[c.geometryType] = c.count;
      images.set(c.imageId, im);
    }
    return { id: s.id, name: s.name, createdBy: s.created_by, createdAt: s.created_at, images: [...images.values()] };
  });
}
