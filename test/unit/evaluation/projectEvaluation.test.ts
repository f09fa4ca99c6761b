// Figures over several images, checked by hand: a set evaluated on every image it annotates
// against each image's latest finished sweep (counts summed, the share shown weighted by image
// area, images without a finished sweep skipped with the reason, the curve over the project),
// and the pairwise agreement of experts' sets on the images both annotate (counts summed,
// an image only one expert annotated left out, an import with no marker kept in).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedAnnotation } from '../../../src-main/core/annotations/sets/parsedAnnotation';
import { agreementTable } from '../../../src-main/core/evaluation/agreementTable';
import { evaluateProject } from '../../../src-main/core/evaluation/evaluateProject';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { makeTempDir, removeDir } from '../project/tempProject';
import { seedSweepRun } from './seedSweepRun';

let dir: string;
let store: ProjectStore;

function addImage(name: string, width: number, height: number): number {
  const id = store.images.insertImporting({ name, width, height, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm: null, sourcePath: name, contentHash: null });
  store.images.markReady(id);
  return id;
}

/** One import of points into `name` on `imageId` (an empty list: an import that found nothing). */
function addSet(name: string, imageId: number, pts: readonly (readonly [number, number])[]): void {
  const repo = store.annotationSets;
  const set = repo.ensure(name, 'alice');
  const importId = repo.addImport({ setId: set.id, imageId, actor: 'alice', sourceName: `${name}.csv`, format: 'csv', units: 'px' });
  const entries: ParsedAnnotation[] = pts.map(([x, y], i) => ({ where: `line ${i + 2}`, geometry: { type: 'Point', coordinates: [x, y] }, className: null, objectType: null, featureId: null, properties: {} }));
  repo.addEntries(set.id, imageId, importId, entries);
}

beforeEach(() => {
  dir = makeTempDir('micra-eval-project-');
  store = openProjectStore(path.join(dir, 'p'), { create: true });
});

afterEach(() => {
  store.close();
  removeDir(dir);
});

describe('a set evaluated over the project', () => {
  it('adds counts over images, weighs the share shown by area and skips images never swept', () => {
    const a = addImage('a.tif', 1000, 1000);
    const b = addImage('b.tif', 2000, 500);
    const c = addImage('c.tif', 600, 600);
    addSet('truth', a, [[120, 120], [700, 700], [300, 900]]); // found, found, missed
    addSet('truth', b, [[1500, 250]]); // found; b's second suggestion holds nothing
    addSet('truth', c, [[10, 10]]); // c has no finished sweep
    seedSweepRun(store, a, 0.5, [{ box: [100, 100, 50, 50], score: 0.9 }, { box: [680, 680, 40, 40], score: 0.6 }]);
    seedSweepRun(store, b, 0.5, [{ box: [1480, 230, 40, 40], score: 0.8 }, { box: [100, 100, 40, 40], score: 0.7 }]);
    seedSweepRun(store, c, 0.5, [], 'failed');

    const e = evaluateProject(store, { truth: 'truth' });
    expect(e.images.map((r) => [r.imageName, r.truth, r.found, r.candidates, r.correct])).toEqual([
      ['a.tif', 3, 2, 2, 2],
      ['b.tif', 1, 1, 2, 1],
    ]);
    expect(e.skipped).toEqual([{ imageId: c, imageName: 'c.tif', reason: 'no finished sweep run' }]);
    // Context rectangles (256², clipped): a: 253² at (0,0) and 256²; b: 256² and 248² at the corner.
    const shownA = 253 * 253 + 256 * 256;
    const shownB = 256 * 256 + 248 * 248;
    expect(e.images[0]?.shownFraction).toBe(shownA / 1e6);
    expect(e.totals).toMatchObject({ images: 2, truth: 4, found: 3, candidates: 4, correct: 3, recall: 0.75, precision: 0.75, f1: 0.75 });
    expect(e.totals.shownFraction).toBeCloseTo((shownA + shownB) / (1e6 + 1e6), 12);
    // The curve: thresholds 0.9, 0.8, 0.7, 0.6 over both images at once.
    expect(e.curve.map((p) => [p.threshold, p.candidates, p.recall, p.precision])).toEqual([
      [0.9, 1, 0.25, 1],
      [0.8, 2, 0.5, 1],
      [0.7, 3, 0.5, 2 / 3],
      [0.6, 4, 0.75, 0.75],
    ]);
    expect(e.curve.at(-1)?.shownFraction).toBeCloseTo(e.totals.shownFraction, 12);

    const strict = evaluateProject(store, { truth: 'truth', threshold: 0.75 });
    expect(strict.totals).toMatchObject({ truth: 4, found: 2, candidates: 2, correct: 2, recall: 0.5, precision: 1 });
  });

  it('refuses a threshold under a run\'s (its suggestions were not stored) and an unknown set', () => {
    const a = addImage('a.tif', 1000, 1000);
    addSet('truth', a, [[120, 120]]);
    seedSweepRun(store, a, 0.6, [{ box: [100, 100, 50, 50], score: 0.9 }]);
    expect(() => evaluateProject(store, { truth: 'truth', threshold: 0.5 })).toThrow(/under the threshold 0.6 of sweep run/);
    expect(() => evaluateProject(store, { truth: 'nobody' })).toThrow(/no annotation set named "nobody"/);
  });
});

describe('agreement between sets', () => {
  it('matches pairs on the images both annotate and sums them', () => {
    const a = addImage('a.tif', 1000, 1000);
    const b = addImage('b.tif', 1000, 1000);
    const c = addImage('c.tif', 1000, 1000);
    addSet('ann', a, [[100, 100], [500, 500], [900, 900]]);
    addSet('bob', a, [[140, 100], [500, 560], [300, 300]]); // 40 px: match; 60 px: too far
    addSet('ann', b, [[200, 200]]);
    addSet('bob', b, []); // bob looked at b and found nothing: counts
    addSet('ann', c, [[10, 10]]); // only ann looked at c: left out
    addSet('cat', c, [[10, 10]]);

    const t = agreementTable(store);
    const pair = (x: string, y: string) => t.pairs.find((p) => p.truthSet === x && p.againstSet === y);
    expect(t.sets).toEqual(['ann', 'bob', 'cat']);
    expect(pair('ann', 'bob')).toMatchObject({ imageIds: [a, b], truth: 4, candidates: 3, matched: 1, recall: 0.25, precision: 1 / 3 });
    expect(pair('bob', 'ann')).toMatchObject({ truth: 3, candidates: 4, matched: 1, recall: 1 / 3, precision: 0.25 });
    expect(pair('ann', 'cat')).toMatchObject({ imageIds: [c], truth: 1, candidates: 1, matched: 1, recall: 1 });
    expect(pair('bob', 'cat')).toMatchObject({ imageIds: [], truth: 0, candidates: 0 });
    // Mean over the four ordered pairs sharing an image.
    expect(t.meanRecall).toBeCloseTo((0.25 + 1 / 3 + 1 + 1) / 4, 12);

    const onA = agreementTable(store, { imageId: a, sets: ['ann', 'bob'] });
    expect(onA.pairs.map((p) => [p.truthSet, p.againstSet, p.truth, p.candidates, p.matched])).toEqual([
      ['ann', 'bob', 3, 3, 1],
      ['bob', 'ann', 3, 3, 1],
    ]);
  });
});
