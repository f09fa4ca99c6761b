// The crop grid's paging state: the keys address the page on screen, never one on its way.
import { describe, expect, it } from 'vitest';
import { cropCellKey, focusOnShow, isTurning, labelTarget, pageNumberOf, refusedLabelText, sameQuery, type GridQuery, type ShownPage } from '../../../src-renderer/training/cropPaging';

interface Crop {
  x: number;
  y: number;
  size: number;
}

const q = (over: Partial<GridQuery> = {}): GridQuery => ({ imageId: 1, cropSize: 256, hideBackground: true, offset: 48, limit: 12, ...over });
const crops = (n: number, y = 0): Crop[] => Array.from({ length: n }, (_, i) => ({ x: i * 256, y, size: 256 }));
const page = (query: GridQuery, n = 12): ShownPage<Crop> => ({ query, crops: crops(n, query.offset) });
const allDrawn = (): boolean => true;

describe('crop grid paging', () => {
  it('compares queries field by field', () => {
    expect(sameQuery(q(), q())).toBe(true);
    for (const change of [{ imageId: 2 }, { cropSize: 128 }, { hideBackground: false }, { offset: 60 }, { limit: 8 }]) expect(sameQuery(q(), q(change))).toBe(false);
    expect(sameQuery(null, null)).toBe(true);
    expect(sameQuery(q(), null)).toBe(false);
  });

  it('numbers pages from the offset and the page size', () => {
    expect(pageNumberOf(q({ offset: 0 }))).toBe(1);
    expect(pageNumberOf(q({ offset: 588, limit: 12 }))).toBe(50);
  });

  it('is turning while the page on screen answers another query than the one wanted', () => {
    expect(isTurning(page(q()), q())).toBe(false);
    expect(isTurning(page(q()), q({ offset: 60 }))).toBe(true);
    expect(isTurning(page(q()), q({ imageId: 2 }))).toBe(true);
    expect(isTurning(null, q())).toBe(true);
    expect(isTurning(null, null)).toBe(false);
  });

  it('labels the focused crop of the page on screen', () => {
    const shown = page(q());
    const t = labelTarget(shown, q(), 3, allDrawn);
    expect(t).toEqual({ ok: true, crop: shown.crops[3], index: 3 });
  });

  it('applies no label key during a page turn: neither to the old page nor to the coming one', () => {
    // Page 5 is on screen, page 6 is asked for (the last label turned the page).
    const t = labelTarget(page(q({ offset: 48 })), q({ offset: 60 }), 11, allDrawn);
    expect(t).toEqual({ ok: false, reason: 'turning' });
    expect(refusedLabelText('turning', q({ offset: 60 }))).toContain('page 6 was still loading');
  });

  it('applies no label key to a crop whose pixels are not drawn, nor past the last crop', () => {
    const shown = page(q(), 5);
    expect(labelTarget(shown, q(), 2, (c) => c.x !== 512)).toEqual({ ok: false, reason: 'not-drawn' });
    expect(labelTarget(shown, q(), 5, allDrawn)).toEqual({ ok: false, reason: 'no-crop' });
    expect(labelTarget(null, null, 0, allDrawn)).toEqual({ ok: false, reason: 'no-crop' });
  });

  it('keeps the focus when the same page is shown again, else starts at the first crop', () => {
    expect(focusOnShow(q(), q(), 7, 12)).toBe(7);
    expect(focusOnShow(q(), q(), 11, 4)).toBe(3);
    expect(focusOnShow(q(), q({ offset: 60 }), 7, 12)).toBe(0);
    expect(focusOnShow(null, q(), 7, 12)).toBe(0);
    expect(focusOnShow(q(), q(), 3, 0)).toBe(0);
  });

  it('gives every crop of every image and size its own cell', () => {
    const keys = new Set([cropCellKey(1, { x: 0, y: 256, size: 256 }), cropCellKey(2, { x: 0, y: 256, size: 256 }), cropCellKey(1, { x: 0, y: 256, size: 128 }), cropCellKey(1, { x: 256, y: 0, size: 256 })]);
    expect(keys.size).toBe(4);
  });
});
