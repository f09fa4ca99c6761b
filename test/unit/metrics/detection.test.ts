import { describe, expect, it } from 'vitest';
import { matchCentroids } from '../../../src-main/core/metrics/detection';

describe('matchCentroids', () => {
  it('matches within the threshold and counts TP, FP, FN', () => {
    const r = matchCentroids([{ x: 0, y: 0 }, { x: 10, y: 0 }], [{ x: 1, y: 0 }, { x: 11, y: 0 }, { x: 50, y: 50 }], 5);
    expect(r).toMatchObject({ tp: 2, fp: 1, fn: 0, unmatchedPredictions: [2], unmatchedTruths: [] });
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBe(1);
    expect(r.f1).toBeCloseTo(0.8, 12);
    expect(r.matches).toEqual([
      { truthIndex: 0, predictionIndex: 0, distance: 1 },
      { truthIndex: 1, predictionIndex: 1, distance: 1 },
    ]);
  });

  it('matches one-to-one: two predictions on one truth give one TP and one FP', () => {
    const r = matchCentroids([{ x: 0, y: 0 }], [{ x: 1, y: 0 }, { x: 0, y: 1 }], 3);
    expect(r).toMatchObject({ tp: 1, fp: 1, fn: 0 });
  });

  it('finds the matching a greedy nearest-first pass would miss', () => {
    // p0 lies between both truths; p1 only reaches truth A. Greedy p0→A would strand p1.
    const truths = [{ x: 0, y: 0 }, { x: 4, y: 0 }];
    const predictions = [{ x: 2, y: 0 }, { x: -2.5, y: 0 }];
    const r = matchCentroids(truths, predictions, 3);
    expect(r.tp).toBe(2);
    expect(r.matches.map((m) => [m.truthIndex, m.predictionIndex])).toEqual([[0, 1], [1, 0]]);
  });

  it('never counts pairs beyond the threshold; a pair exactly at it is a match', () => {
    expect(matchCentroids([{ x: 0, y: 0 }], [{ x: 3, y: 4 }], 4.99)).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 });
    expect(matchCentroids([{ x: 0, y: 0 }], [{ x: 3, y: 4 }], 5)).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
  });

  it('resolves ties to a full matching', () => {
    const r = matchCentroids([{ x: 0, y: 0 }, { x: 2, y: 0 }], [{ x: 1, y: 0 }, { x: 1, y: 0 }], 1);
    expect(r).toMatchObject({ tp: 2, fp: 0, fn: 0 });
    expect(r.matches.reduce((s, m) => s + m.distance, 0)).toBe(2);
  });

  it('handles no predictions, no truths, and neither', () => {
    expect(matchCentroids([{ x: 0, y: 0 }, { x: 9, y: 9 }], [], 5)).toMatchObject({ tp: 0, fp: 0, fn: 2, precision: 0, recall: 0, f1: 0 });
    expect(matchCentroids([], [{ x: 0, y: 0 }], 5)).toMatchObject({ tp: 0, fp: 1, fn: 0, precision: 0, recall: 0, f1: 0 });
    expect(matchCentroids([], [], 5)).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
  });
});
