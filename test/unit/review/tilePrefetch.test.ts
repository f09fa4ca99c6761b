import { describe, expect, it } from 'vitest';
import { contextView } from '../../../src-renderer/review/reviewGeometry';
import { upcomingViews } from '../../../src-renderer/review/tilePrefetch';
import type { ReviewItem, ReviewState } from '../../../src-renderer/review/reviewTypes';

function item(id: number, state: ReviewState = 'pending'): ReviewItem {
  return { kind: 'suggestion', id, imageId: 1, classId: 1, modelId: 1, runId: 1, box: [id * 100, id * 50, 40, 30], score: 1 - id / 100, area: 1200, mask: null, state, decisionId: state === 'pending' ? null : id + 100 };
}
const view = (i: ReviewItem) => contextView(i.box, 800, 600);

describe('upcomingViews (what review prefetches)', () => {
  it('lists the context views of the next items in the order decisions bring them up', () => {
    const items = [item(1), item(2, 'accepted'), item(3), item(4), item(5)];
    // From item 1: 2 is decided, so 3 comes next, then 4.
    expect(upcomingViews(items, 'suggestion:1', 800, 600)).toEqual([view(items[2]!), view(items[3]!)]);
    expect(upcomingViews(items, 'suggestion:1', 800, 600, 3)).toEqual([view(items[2]!), view(items[3]!), view(items[4]!)]);
  });

  it('wraps around the queue and ends with items set aside for later, without repeats', () => {
    const items = [item(1), item(2, 'later'), item(3)];
    // From 3: 1 is the only other pending one; then the one set aside.
    expect(upcomingViews(items, 'suggestion:3', 800, 600, 5)).toEqual([view(items[0]!), view(items[1]!)]);
  });

  it('is empty when nothing is left to review', () => {
    expect(upcomingViews([item(1), item(2, 'declined')], 'suggestion:1', 800, 600)).toEqual([]);
    expect(upcomingViews([], null, 800, 600)).toEqual([]);
  });
});
