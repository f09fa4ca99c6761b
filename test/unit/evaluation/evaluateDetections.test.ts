// The evaluation rules on hand-computed cases: a marker found inside a box, one missed, one on a
// box's edge, two markers in one box, one marker in two boxes; the share of the image shown
// (context rectangles, at least 256 px, clipped, overlaps counted once); the recall–shown curve;
// set against set by one-to-one matching within 56 px; and the project-level command's choices
// (latest finished run, the run's threshold, refusals).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedAnnotation } from '../../../src-main/core/annotations/sets/parsedAnnotation';
import { boxHolds, detectionFigures, recallShownCurve, type ScoredBox } from '../../../src-main/core/evaluation/detectionsAgainstMarkers';
import { evaluateDetections } from '../../../src-main/core/evaluation/evaluateDetections';
import { setAgreement } from '../../../src-main/core/evaluation/setAgreement';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { shownFraction, suggestionContextRect } from '../../../src-main/core/review/shownFraction';
import { makeTempDir, removeDir } from '../project/tempProject';
import { seedSweepRun } from './seedSweepRun';

const W = 1000;
const H = 1000;
const A: ScoredBox = { box: [100, 100, 50, 50], score: 0.9 };
const B: ScoredBox = { box: [130, 130, 50, 50], score: 0.8 };
const C: ScoredBox = { box: [500, 500, 40, 40], score: 0.7 };
const D: ScoredBox = { box: [800, 800, 20, 20], score: 0.6 };
const suggestions = [A, B, C, D];
const markers = [
  { x: 120, y: 120 }, // in A only
  { x: 140, y: 140 }, // in A and B: one marker in two boxes
  { x: 800, y: 810 }, // on D's left edge
  { x: 820, y: 815 }, // also in D (on its right edge): two markers in one box
  { x: 300, y: 300 }, // missed
];
// Context rectangles, all 256² (boxes under 128 px): A's is clipped to 253² at the corner; B's
// overlaps A's over 226²; C's and D's stand alone.
const SHOWN_AB = 253 * 253 + 256 * 256 - 226 * 226;
const SHOWN_ALL = SHOWN_AB + 2 * 256 * 256;

describe('a sweep against markers', () => {
  it('counts edges as inside', () => {
    expect(boxHolds([800, 800, 20, 20], { x: 820, y: 820 })).toBe(true);
    expect(boxHolds([800, 800, 20, 20], { x: 800, y: 800 })).toBe(true);
    expect(boxHolds([800, 800, 20, 20], { x: 820.001, y: 810 })).toBe(false);
    expect(boxHolds([800, 800, 20, 20], { x: 810, y: 799.999 })).toBe(false);
  });

  it('scores found, missed, an edge, two markers in one box and one marker in two boxes', () => {
    const f = detectionFigures(markers, suggestions, 0.6, W, H);
    expect(f).toMatchObject({ truth: 5, candidates: 4, found: 4, correct: 3, recall: 0.8, precision: 0.75 });
    expect(f.f1).toBeCloseTo((2 * 0.8 * 0.75) / 1.55, 12);
    expect(f.shownFraction).toBe(SHOWN_ALL / (W * H));
  });

  it('defines the context rectangle once: twice the box, at least 256 px, clipped', () => {
    expect(suggestionContextRect([100, 100, 50, 50], W, H)).toEqual({ x: 0, y: 0, width: 253, height: 253 });
    expect(suggestionContextRect([400, 400, 200, 100], W, H)).toEqual({ x: 300, y: 322, width: 400, height: 256 });
    expect(suggestionContextRect([900, 10, 100, 20], W, H)).toEqual({ x: 822, y: 0, width: 178, height: 148 });
    expect(shownFraction([], W, H)).toBe(0);
  });

  it('draws recall against the share shown as the threshold rises', () => {
    const curve = recallShownCurve(markers, suggestions, 0.5, W, H).map((p) => [p.threshold, p.candidates, p.recall, p.precision, p.shownFraction]);
    expect(curve).toEqual([
      [0.9, 1, 0.4, 1, (253 * 253) / (W * H)],
      [0.8, 2, 0.4, 1, SHOWN_AB / (W * H)],
      [0.7, 3, 0.4, 2 / 3, (SHOWN_AB + 256 * 256) / (W * H)],
      [0.6, 4, 0.8, 0.75, SHOWN_ALL / (W * H)],
    ]);
    expect(recallShownCurve(markers, suggestions, 0.75, W, H).map((p) => p.threshold)).toEqual([0.9, 0.8]);
  });

  it('keeps at most 64 curve points, the strictest and the loosest among them', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ box: [i * 3, 0, 2, 2] as [number, number, number, number], score: 0.5 + i / 1000 }));
    const curve = recallShownCurve([], many, 0.5, W, H);
    expect(curve.length).toBe(64);
    expect(curve[0]?.threshold).toBe(0.5 + 299 / 1000);
    expect(curve.at(-1)?.threshold).toBe(0.5);
  });

  it('follows the empty-case rules of core/metrics', () => {
    expect(detectionFigures([], [], 0.5, W, H)).toMatchObject({ recall: 1, precision: 1, f1: 1 });
    expect(detectionFigures(markers, [], 0.5, W, H)).toMatchObject({ recall: 0, precision: 0, f1: 0, shownFraction: 0 });
    expect(detectionFigures([], [A], 0.5, W, H)).toMatchObject({ recall: 0, precision: 0, f1: 0 });
  });
});

describe('set against set', () => {
  it('matches one to one within 56 px, the distance itself included', () => {
    expect(setAgreement([{ x: 0, y: 0 }], [{ x: 56, y: 0 }])).toMatchObject({ matched: 1, recall: 1, precision: 1, meanDistance: 56 });
    expect(setAgreement([{ x: 0, y: 0 }], [{ x: 56.01, y: 0 }])).toMatchObject({ matched: 0, recall: 0, precision: 0 });
    // One candidate near two truths counts once.
    expect(setAgreement([{ x: 0, y: 0 }, { x: 60, y: 0 }], [{ x: 30, y: 0 }, { x: 200, y: 0 }])).toMatchObject({ truth: 2, candidates: 2, matched: 1, recall: 0.5, precision: 0.5 });
  });

  it('assigns optimally where nearest-first would lose a match', () => {
    // c1 is 25 px from both truths; nearest-first may give it t1, leaving c2 (80 px from t2) unmatched.
    const a = setAgreement([{ x: 0, y: 0 }, { x: 50, y: 0 }], [{ x: 25, y: 0 }, { x: -30, y: 0 }]);
    expect(a).toMatchObject({ matched: 2, recall: 1, precision: 1 });
    expect(a.meanDistance).toBeCloseTo(27.5, 12);
  });
});

describe('evaluateDetections on a project', () => {
  let dir: string;
  let store: ProjectStore;
  let imageId: number;
  const addSet = (name: string, pts: readonly { x: number; y: number }[]) => {
    const repo = store.annotationSets;
    const set = repo.ensure(name, 'alice');
    const importId = repo.addImport({ setId: set.id, imageId, actor: 'alice', sourceName: `${name}.csv`, format: 'csv', units: 'px' });
    const entries: ParsedAnnotation[] = pts.map((p, i) => ({ where: `line ${i + 1}`, geometry: { type: 'Point', coordinates: [p.x, p.y] }, className: null, objectType: null, featureId: null, properties: {} }));
    repo.addEntries(set.id, imageId, importId, entries);
  };

  beforeEach(() => {
    dir = makeTempDir('micra-eval-');
    store = openProjectStore(path.join(dir, 'p'), { create: true });
    imageId = store.images.insertImporting({ name: 'a.tif', width: W, height: H, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null });
    store.images.markReady(imageId);
    addSet('expert-a', markers);
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  it("uses the image's latest finished run at its threshold, or the run and threshold named", () => {
    const first = seedSweepRun(store, imageId, 0.6, suggestions);
    const latest = seedSweepRun(store, imageId, 0.75, [A, B]);
    seedSweepRun(store, imageId, 0.5, [C], 'failed');
    const byDefault = evaluateDetections(store, { imageId, truth: 'expert-a' });
    expect(byDefault).toMatchObject({ mode: 'run', runId: latest, threshold: 0.75, truth: 5, candidates: 2, recall: 0.4, precision: 1 });
    const named = evaluateDetections(store, { imageId, truth: 'expert-a', runId: first });
    expect(named).toMatchObject({ runId: first, candidates: 4, recall: 0.8, precision: 0.75, shownFraction: SHOWN_ALL / (W * H) });
    expect(named.curve?.length).toBe(4);
    expect(evaluateDetections(store, { imageId, truth: 'expert-a', runId: first, threshold: 0.85 })).toMatchObject({ candidates: 1, recall: 0.4 });
    expect(() => evaluateDetections(store, { imageId, truth: 'expert-a', runId: first, threshold: 0.5 })).toThrow(/between the run's threshold 0.6/);
  });

  it('compares two sets, and refuses what cannot be evaluated', () => {
    addSet('expert-b', [{ x: 125, y: 120 }, { x: 800, y: 860 }, { x: 900, y: 100 }]);
    expect(evaluateDetections(store, { imageId, truth: 'expert-a', against: 'expert-b' })).toMatchObject({ mode: 'set', truth: 5, candidates: 3, matched: 2, recall: 0.4, precision: 2 / 3, shownFraction: null, curve: null });
    expect(() => evaluateDetections(store, { imageId, truth: 'expert-a' })).toThrow(/no finished sweep run/);
    expect(() => evaluateDetections(store, { imageId, truth: 'expert-a', against: 'expert-b', threshold: 0.9 })).toThrow(/--against compares two sets/);
    expect(() => evaluateDetections(store, { imageId, truth: 'expert-z' })).toThrow(/no annotation set named "expert-z"/);
    const other = store.images.insertImporting({ name: 'b.tif', width: 10, height: 10, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm: null, sourcePath: 'b.tif', contentHash: null });
    const run = seedSweepRun(store, other, 0.5, []);
    expect(() => evaluateDetections(store, { imageId, truth: 'expert-a', runId: run })).toThrow(`sweep run ${run} swept image ${other}`);
  });
});
