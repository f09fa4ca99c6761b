// Blinded review and reviewers compared afterwards, on a project with a seeded sweep run: each
// reviewer's queue shows only their own decisions (another's accept leaves the suggestion
// pending for them), their undo takes back only their own decision, and the agreement table
// counts, per pair, the suggestions both judged, those they agree on, and Cohen's kappa —
// checked against hand-computed values.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pairAgreement, reviewerAgreement, type Verdict } from '../../../src-main/core/evaluation/reviewerAgreement';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { decide, reviewQueue, undo } from '../../../src-main/core/review/reviewService';
import { makeTempDir, removeDir } from '../project/tempProject';
import { seedSweepRun } from './seedSweepRun';

let dir: string;
let store: ProjectStore;
let imageId: number;
let ids: number[];

beforeEach(() => {
  dir = makeTempDir('micra-reviewers-');
  store = openProjectStore(path.join(dir, 'p'), { create: true });
  imageId = store.images.insertImporting({ name: 'a.tif', width: 1000, height: 1000, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null });
  store.images.markReady(imageId);
  const boxes = [0, 1, 2, 3, 4].map((i) => ({ box: [i * 150, 10, 40, 40] as const, score: 0.9 - i * 0.1 }));
  seedSweepRun(store, imageId, 0.5, boxes);
  ids = (store.db.prepare('SELECT id FROM suggestions ORDER BY score DESC').all() as Array<{ id: number }>).map((r) => r.id);
});

afterEach(() => {
  store.close();
  removeDir(dir);
});

const judge = (actor: string, k: number, action: 'accept' | 'decline' | 'later') => decide(store, { suggestionId: ids[k]!, action, shownRect: null, actor });
const states = (blindedFor?: string) => reviewQueue(store, imageId, 'score', undefined, undefined, blindedFor).map((i) => i.state);

describe('blinded review', () => {
  it("shows each reviewer only their own decisions, and undoes only theirs", () => {
    judge('ann', 0, 'accept');
    judge('bob', 1, 'decline');
    expect(states()).toEqual(['accepted', 'declined', 'pending', 'pending', 'pending']);
    expect(states('ann')).toEqual(['accepted', 'pending', 'pending', 'pending', 'pending']);
    expect(states('bob')).toEqual(['pending', 'declined', 'pending', 'pending', 'pending']);
    expect(states('cat')).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    // Ann's Z: her accept goes, not Bob's newer decline; the item comes back as she sees it.
    const undone = undo(store, imageId, undefined, 'ann', 'ann');
    expect(undone.item).toMatchObject({ id: ids[0], state: 'pending' });
    expect(states('bob')).toEqual(['pending', 'declined', 'pending', 'pending', 'pending']);
    expect(states()).toEqual(['pending', 'declined', 'pending', 'pending', 'pending']);
  });
});

describe('reviewers compared', () => {
  it('counts agreement and kappa on the suggestions both judged', () => {
    // ann: A A D D A(then undone) ; bob: A D D D later
    judge('ann', 0, 'accept');
    judge('ann', 1, 'accept');
    judge('ann', 2, 'decline');
    judge('ann', 3, 'decline');
    judge('ann', 4, 'accept');
    undo(store, imageId, undefined, 'ann', 'ann');
    judge('bob', 0, 'accept');
    judge('bob', 1, 'decline');
    judge('bob', 2, 'decline');
    judge('bob', 3, 'decline');
    judge('bob', 4, 'later');
    const t = reviewerAgreement(store, { imageId });
    expect(t.reviewers).toEqual([
      { actor: 'ann', accepted: 2, declined: 2 },
      { actor: 'bob', accepted: 1, declined: 3 },
    ]);
    // Both judged 4; agree on 3. pa = 2/4, pb = 1/4: pe = 0.5·0.25 + 0.5·0.75 = 0.5; kappa = (0.75 − 0.5) / 0.5.
    expect(t.pairs).toEqual([{ a: 'ann', b: 'bob', both: 4, agree: 3, agreement: 0.75, kappa: 0.5, onlyA: 1, onlyB: 0 }]);
    expect(reviewerAgreement(store, { imageId: imageId + 1 }).pairs).toEqual([]);
  });

  it('has no kappa when chance explains everything, and no agreement without common ground', () => {
    const all = (v: Verdict, n: number) => new Map(Array.from({ length: n }, (_, i) => [i, new Map([['a', v], ['b', v]])]));
    expect(pairAgreement('a', 'b', all('accept', 3))).toMatchObject({ both: 3, agree: 3, agreement: 1, kappa: null });
    expect(pairAgreement('a', 'c', all('accept', 3))).toMatchObject({ both: 0, agreement: null, kappa: null });
  });
});
