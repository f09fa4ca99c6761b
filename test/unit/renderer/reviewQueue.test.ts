import { describe, expect, it } from 'vitest';
import { reviewCommand } from '../../../src-renderer/review/reviewKeys';
import { applyCropScores, heatmapRaster, LATER_COLOR, reviewBoxes } from '../../../src-renderer/review/reviewOverlay';
import { applySuggestions, neighbour, nextToReview, upsertItem } from '../../../src-renderer/review/reviewQueue';
import type { Heatmap, ReviewItem, ReviewState } from '../../../src-renderer/review/reviewTypes';

function item(id: number, score: number | null, state: ReviewState = 'pending', kind: ReviewItem['kind'] = 'suggestion'): ReviewItem {
  return { kind, id, imageId: 1, classId: 1, modelId: 1, runId: 1, box: [id * 10, id * 10, 8, 6], score, area: 48, mask: null, state, decisionId: state === 'pending' ? null : id + 100 };
}

const keys = (items: readonly ReviewItem[]) => items.map((i) => `${i.kind}:${i.id}`);
const key = (k: string, extra: Partial<{ shiftKey: boolean; ctrlKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...extra });

describe('review queue', () => {
  it('inserts streamed suggestions by score and replaces known ones in place', () => {
    let q = [item(1, 0.9), item(2, 0.7)];
    q = upsertItem(q, item(3, 0.8), 'score');
    expect(keys(q)).toEqual(['suggestion:1', 'suggestion:3', 'suggestion:2']);
    q = upsertItem(q, item(2, 0.7, 'accepted'), 'score');
    expect(q[2]?.state).toBe('accepted');
    expect(keys(upsertItem(q, item(4, 0.99), 'spatial')).at(-1)).toBe('suggestion:4');
  });

  it('applies merges: updated replaced, removed dropped, added queued', () => {
    const q = [item(1, 0.9), item(2, 0.7)];
    const out = applySuggestions(q, { imageId: 1, runId: 1, added: [item(5, 0.95)], updated: [{ ...item(1, 0.9), area: 99 }], removed: [2] }, 'score');
    expect(keys(out)).toEqual(['suggestion:5', 'suggestion:1']);
    expect(out[1]?.area).toBe(99);
  });

  it('goes to the next pending item after a decision, wrapping, then to those set aside', () => {
    const q = [item(1, 0.9, 'accepted'), item(2, 0.8), item(3, 0.7, 'later'), item(4, 0.6)];
    expect(nextToReview(q, 'suggestion:2')?.id).toBe(4);
    expect(nextToReview(q, 'suggestion:4')?.id).toBe(2);
    const decided = q.map((i) => (i.state === 'pending' ? { ...i, state: 'declined' as const } : i));
    expect(nextToReview(decided, 'suggestion:4')?.id).toBe(3);
    expect(nextToReview(decided, 'suggestion:3')).toBeNull();
    expect(nextToReview(q, null)?.id).toBe(2);
  });

  it('moves to neighbours, clamped at the ends', () => {
    const q = [item(1, 0.9), item(2, 0.8)];
    expect(neighbour(q, 'suggestion:1', 1)?.id).toBe(2);
    expect(neighbour(q, 'suggestion:2', 1)?.id).toBe(2);
    expect(neighbour(q, null, 1)?.id).toBe(1);
    expect(neighbour(q, null, -1)?.id).toBe(2);
    expect(neighbour([], null, 1)).toBeNull();
  });
});

describe('review keys', () => {
  it('maps the documented keys', () => {
    expect(reviewCommand(key('a'))).toEqual({ kind: 'decide', action: 'accept' });
    expect(reviewCommand(key('Enter'))).toEqual({ kind: 'decide', action: 'accept' });
    expect(reviewCommand(key('D'))).toEqual({ kind: 'decide', action: 'decline' });
    expect(reviewCommand(key('Backspace'))).toEqual({ kind: 'decide', action: 'decline' });
    expect(reviewCommand(key('s'))).toEqual({ kind: 'decide', action: 'later' });
    expect(reviewCommand(key('z'))).toEqual({ kind: 'undo' });
    expect(reviewCommand(key('ArrowRight'))).toEqual({ kind: 'move', step: 1 });
    expect(reviewCommand(key('ArrowUp'))).toEqual({ kind: 'move', step: -1 });
    expect(reviewCommand(key('n'))).toEqual({ kind: 'addRegion' });
    expect(reviewCommand(key('}', { shiftKey: true }))).toEqual({ kind: 'grow', step: 16 });
    expect(reviewCommand(key('['))).toEqual({ kind: 'grow', step: -4 });
  });

  it('leaves Ctrl/Cmd combinations and other keys alone', () => {
    expect(reviewCommand(key('z', { ctrlKey: true }))).toBeNull();
    expect(reviewCommand(key('q'))).toBeNull();
  });
});

describe('review overlays', () => {
  it('colours boxes by state and draws the current one last, with its adjusted box', () => {
    const q = [item(1, 0.9), item(2, 0.8, 'accepted'), item(3, 0.7, 'later'), item(4, null, 'accepted', 'annotation'), item(5, 0.2, 'declined')];
    const boxes = reviewBoxes(q, 'suggestion:1', [1, 2, 3, 4]);
    expect(boxes.map((b) => [b.id, b.status, b.color])).toEqual([
      ['suggestion:2', 'accepted', undefined],
      ['suggestion:3', 'suggested', LATER_COLOR],
      ['annotation:4', 'manual', undefined],
      ['suggestion:5', 'declined', undefined],
      ['suggestion:1', 'selected', undefined],
    ]);
    expect(boxes.at(-1)?.rect).toEqual({ x0: 1, y0: 2, x1: 4, y1: 6 });
  });

  it('paints crop scores at their place, background and unswept crops transparent', () => {
    const h: Heatmap = { runId: 1, imageId: 1, cols: 2, rows: 2, cropSize: 300, xs: [0, 200], ys: [0, 200], scores: [1, -1, null, 0] };
    const r = heatmapRaster(h, 500, 500, 0.5);
    expect([r.width, r.height]).toEqual([500, 500]);
    const alpha = (x: number, y: number) => r.rgba[(y * 500 + x) * 4 + 3];
    expect(alpha(10, 10)).toBe(128); // score 1
    expect(alpha(450, 10)).toBe(0); // background crop (col 1, row 0) — and crop (0,0) ends at 300
    expect(alpha(10, 450)).toBe(0); // not swept yet
    expect(alpha(450, 450)).toBe(Math.round(255 * 0.5 * 0.25)); // score 0: faint, still shown as swept
    expect(applyCropScores(h, [{ col: 0, row: 1, score: 0.5 }])).toBe(true);
    expect(h.scores[2]).toBe(0.5);
  });
});
