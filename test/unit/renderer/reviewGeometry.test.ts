import { describe, expect, it } from 'vitest';
import { decodeMaskRle, encodeMaskRle } from '../../../src-shared/maskRle';
import { reframeMask } from '../../../src-renderer/review/reframeMask';
import { boxHandleAt, contextView, dragBox, growBox, shownRectOf } from '../../../src-renderer/review/reviewGeometry';

describe('review mask codec', () => {
  it('decodes runs that start with zeros, row-major over the box', () => {
    // 3 × 2: row 0 = 0 1 1, row 1 = 1 0 0
    const mask = decodeMaskRle({ width: 3, height: 2, counts: [1, 3, 2] });
    expect([...mask]).toEqual([0, 1, 1, 1, 0, 0]);
    expect(encodeMaskRle(mask, 3, 2)).toEqual({ width: 3, height: 2, counts: [1, 3, 2] });
  });

  it('encodes a mask that starts on with an empty zero-run', () => {
    expect(encodeMaskRle(Uint8Array.from([1, 1, 0, 1]), 2, 2).counts).toEqual([0, 2, 1, 1]);
  });

  it('rejects runs that do not cover the box exactly', () => {
    expect(() => decodeMaskRle({ width: 2, height: 2, counts: [1, 2] })).toThrow(/cover 3 of 4/);
    expect(() => decodeMaskRle({ width: 2, height: 2, counts: [3, 2] })).toThrow(/fit/);
  });

  it('reframes a mask onto a shrunk and shifted box', () => {
    // Old box at (10, 10), 3 × 3, mask = the centre column.
    const old = Uint8Array.from([0, 1, 0, 0, 1, 0, 0, 1, 0]);
    // New box (11, 9) 2 × 3: column 11 is the mask's centre column, row 9 is outside the old box.
    expect([...reframeMask(old, [10, 10, 3, 3], [11, 9, 2, 3])]).toEqual([0, 0, 1, 0, 1, 0]);
    // No mask: the old box counts as fully on.
    expect([...reframeMask(null, [0, 0, 2, 2], [1, 1, 2, 2])]).toEqual([1, 0, 0, 0]);
  });
});

describe('review geometry', () => {
  it('shows a small box with at least 512 px of context, a large one at ×3', () => {
    expect(contextView([100, 200, 100, 50], 800, 600)).toEqual({ centerX: 150, centerY: 225, scale: 600 / 512 });
    expect(contextView([0, 0, 400, 100], 800, 600)).toEqual({ centerX: 200, centerY: 50, scale: 0.5 });
    // Tiny boxes are not blown up past the zoom cap.
    expect(contextView([0, 0, 2, 2], 8000, 8000, 4).scale).toBe(4);
  });

  it('clips the shown rectangle to the image', () => {
    expect(shownRectOf({ centerX: 100, centerY: 100, scale: 2, width: 400, height: 200 }, 1000, 1000)).toEqual({ x: 0, y: 50, width: 200, height: 100 });
    expect(shownRectOf({ centerX: -500, centerY: 100, scale: 1, width: 100, height: 100 }, 1000, 1000)).toBeNull();
  });

  it('finds the edge or corner under the pointer', () => {
    const box: [number, number, number, number] = [100, 100, 50, 40];
    expect(boxHandleAt(box, 100, 120, 3)).toBe('w');
    expect(boxHandleAt(box, 151, 120, 3)).toBe('e');
    expect(boxHandleAt(box, 125, 98, 3)).toBe('n');
    expect(boxHandleAt(box, 149, 141, 3)).toBe('se');
    expect(boxHandleAt(box, 125, 120, 3)).toBe('move');
    expect(boxHandleAt(box, 90, 120, 3)).toBeNull();
  });

  it('drags edges in whole pixels, inside the image, never flipping', () => {
    const box: [number, number, number, number] = [100, 100, 50, 40];
    expect(dragBox(box, 'e', 10.4, 99, 1000, 1000)).toEqual([100, 100, 60, 40]);
    expect(dragBox(box, 'nw', -20, -200, 1000, 1000)).toEqual([80, 0, 70, 140]);
    expect(dragBox(box, 'w', 500, 0, 1000, 1000)).toEqual([149, 100, 1, 40]);
    expect(dragBox(box, 'se', 5000, 5000, 300, 200)).toEqual([100, 100, 200, 100]);
    expect(dragBox(box, 'move', 900, -5, 1000, 1000)).toEqual([950, 95, 50, 40]);
  });

  it('grows and shrinks a box around its centre, kept in the image', () => {
    expect(growBox([100, 100, 50, 40], 4, 1000, 1000)).toEqual([96, 96, 58, 48]);
    expect(growBox([100, 100, 50, 40], -30, 1000, 1000)).toEqual([125, 120, 1, 1]);
    expect(growBox([0, 0, 10, 10], 4, 12, 12)).toEqual([0, 0, 12, 12]);
  });
});
