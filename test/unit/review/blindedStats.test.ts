// Blinded review's numbers (issue 15): two reviewers decide on the same seeded suggestions; with
// `blindedFor` the stats count only that reviewer's decisions and the area shown to them, and
// without it every reviewer's current decision, as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { decide, reviewStats, undo } from '../../../src-main/core/review/reviewService';
import { seedSweepRun } from '../evaluation/seedSweepRun';

let dir: string;
let store: ProjectStore;
let imageId: number;
let ids: number[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'micra-blind-stats-'));
  store = openProjectStore(join(dir, 'project'), { create: true });
  imageId = store.images.insertImporting({ name: 'a.tif', width: 1000, height: 500, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null });
  store.images.markReady(imageId);
  seedSweepRun(store, imageId, 0.5, [{ box: [10, 10, 20, 20], score: 0.9 }, { box: [300, 10, 20, 20], score: 0.8 }, { box: [600, 300, 20, 20], score: 0.7 }]);
  ids = (store.db.prepare('SELECT id FROM suggestions ORDER BY score DESC').all() as Array<{ id: number }>).map((r) => r.id);
  // Bob was shown the left half; he accepts the first two and puts off the third.
  const bobShown = { x: 0, y: 0, width: 500, height: 500 };
  decide(store, { suggestionId: ids[0]!, action: 'accept', shownRect: bobShown, actor: 'bob' });
  decide(store, { suggestionId: ids[1]!, action: 'accept', shownRect: bobShown, actor: 'bob' });
  decide(store, { suggestionId: ids[2]!, action: 'later', shownRect: bobShown, actor: 'bob' });
  // Ann, blinded, was shown a 100 × 100 square: she declines the first, accepts then undoes the second.
  const annShown = { x: 900, y: 400, width: 100, height: 100 };
  decide(store, { suggestionId: ids[0]!, action: 'decline', shownRect: annShown, actor: 'ann' });
  decide(store, { suggestionId: ids[1]!, action: 'accept', shownRect: annShown, actor: 'ann' });
  undo(store, imageId, undefined, 'ann', 'ann');
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('review stats in a blinded review', () => {
  it("count only the blinded reviewer's own decisions and the area shown to them", () => {
    expect(reviewStats(store, imageId, 'ann')).toEqual({
      imageId, total: 3, reviewed: 1, accepted: 0, declined: 1, later: 0, pending: 2, added: 0,
      shownArea: 100 * 100, shownFraction: (100 * 100) / (1000 * 500),
    });
    expect(reviewStats(store, imageId, 'bob')).toEqual({
      imageId, total: 3, reviewed: 2, accepted: 2, declined: 0, later: 1, pending: 0, added: 0,
      shownArea: 500 * 500, shownFraction: 0.5,
    });
    expect(reviewStats(store, imageId, 'carol')).toMatchObject({ reviewed: 0, pending: 3, shownArea: 0 });
  });

  it('count every reviewer when not blinded (the latest decision on each suggestion)', () => {
    // ids[0]: ann's decline is the latest; ids[1]: ann's accept undone leaves bob's accept; ids[2]: bob's later.
    expect(reviewStats(store, imageId)).toMatchObject({ reviewed: 2, accepted: 1, declined: 1, later: 1, pending: 0, shownArea: 500 * 500 + 100 * 100 });
  });
});
