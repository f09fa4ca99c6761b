// One line per set for the layer panel: what it holds on the shown image.
import type { RequestResult } from '../../src-main/api/types';

export type SetSummary = RequestResult<'annotationSets.list'>['sets'][number];

/** Entries of `set` on `imageId` (0 when it has none there). */
export function entriesOn(set: SetSummary, imageId: number): number {
  return set.images.find((i) => i.imageId === imageId)?.entries ?? 0;
}

/** "12 points, 3 polygons": the set's geometry on one image, for a tooltip. */
export function geometryText(set: SetSummary, imageId: number): string {
  const counts = set.images.find((i) => i.imageId === imageId)?.byGeometry ?? {};
  return Object.entries(counts).map(([type, n]) => `${n} ${type}`).join(', ') || 'nothing on this image';
}
