// The crop grid's paging as one state: the page on screen carries the query it answers (image,
// crop size, filter, offset, page size), so the header, the focus and the label keys all read
// the page the user sees, never the one asked for and still on its way (once the header
// said page 50 while the grid showed page 49, and Y labelled a crop of page 50).

export interface GridQuery {
  readonly imageId: number;
  readonly cropSize: number;
  readonly hideBackground: boolean;
  readonly offset: number;
  readonly limit: number;
  /** Active labelling's order (CropOrderSelect); absent: the grid's own. */
  readonly order?: 'raster' | 'likely' | 'uncertain';
}

/** A page of crops on screen and the query it answers. */
export interface ShownPage<C> {
  readonly query: GridQuery;
  readonly crops: readonly C[];
}

export function sameQuery(a: GridQuery | null, b: GridQuery | null): boolean {
  if (a === null || b === null) return a === b;
  return a.imageId === b.imageId && a.cropSize === b.cropSize && a.hideBackground === b.hideBackground && a.offset === b.offset && a.limit === b.limit && (a.order ?? 'raster') === (b.order ?? 'raster');
}

/** True while the page on screen is not the one asked for (a page turn, image or size change). */
export function isTurning(shown: ShownPage<unknown> | null, wanted: GridQuery | null): boolean {
  return wanted !== null && !sameQuery(shown?.query ?? null, wanted);
}

/** 1-based page number of a query. */
export function pageNumberOf(q: GridQuery): number {
  return Math.floor(q.offset / Math.max(1, q.limit)) + 1;
}

export type RefusedLabel = 'turning' | 'no-crop' | 'not-drawn';

export type LabelTarget<C> = { readonly ok: true; readonly crop: C; readonly index: number } | { readonly ok: false; readonly reason: RefusedLabel };

/**
 * The crop a label key acts on: the focused crop of the page on screen, once its pixels are
 * drawn. Nothing while a page turn is on its way. A key pressed then is not applied, nor held
 * for the next page: the crop it would reach there has not been seen yet (holding it is how
 * labels landed on crops nobody saw), and the crop the old page still shows was decided by the
 * key that turned the page. A dropped key shows (the crop stays unlabelled, a notice says why);
 * a wrong label would silently go into the training set. Likewise a crop whose pixels are not
 * drawn yet has not been seen and cannot be judged.
 */
export function labelTarget<C>(shown: ShownPage<C> | null, wanted: GridQuery | null, focus: number, isDrawn: (crop: C) => boolean): LabelTarget<C> {
  if (isTurning(shown, wanted)) return { ok: false, reason: 'turning' };
  const crop = shown?.crops[focus];
  if (crop === undefined) return { ok: false, reason: 'no-crop' };
  if (!isDrawn(crop)) return { ok: false, reason: 'not-drawn' };
  return { ok: true, crop, index: focus };
}

/** The focus once `next` is shown: kept (within the page) when it answers the same query as before, else the first crop. */
export function focusOnShow(previous: GridQuery | null, next: GridQuery, focus: number, count: number): number {
  if (count === 0) return 0;
  return sameQuery(previous, next) ? Math.min(Math.max(0, focus), count - 1) : 0;
}

/** What the notice says about the last label key that was not applied (it stays until one is). */
export function refusedLabelText(reason: RefusedLabel, wanted: GridQuery | null): string {
  switch (reason) {
    case 'turning':
      return `Last key not applied: ${wanted ? `page ${pageNumberOf(wanted)}` : 'the next page'} was still loading.`;
    case 'not-drawn':
      return 'Last key not applied: the focused crop was not drawn yet.';
    case 'no-crop':
      return 'Last key not applied: no crop was focused.';
  }
}

/** One crop of one image at one size: the grid's cell identity (a new crop never reuses a cell showing another one's pixels). */
export function cropCellKey(imageId: number, crop: { readonly x: number; readonly y: number; readonly size: number }): string {
  return `${imageId}:${crop.size}:${crop.x}:${crop.y}`;
}
