import { describe, expect, it } from 'vitest';
import { classificationScores } from '../../../src-main/core/metrics/classification';

// 4 samples × 2 classes (hand-computed below).
const set = {
  count: 4,
  classes: 2,
  scores: Float32Array.of(0.9, 0.2, 0.6, 0.75, 0.3, 0.4, 0.1, 0.8),
  labels: Uint8Array.of(1, 0, 0, 1, 1, 0, 0, 0),
};

describe('classificationScores', () => {
  it('scores each class and averages them', () => {
    const s = classificationScores(set, 0.5);
    // class 0: TP (0.9,1), FP (0.6,0), FN (0.3,1), TN (0.1,0)
    expect(s.perClass[0]).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 1, accuracy: 0.5, precision: 0.5, recall: 0.5, f1: 0.5 });
    // class 1: TN (0.2,0), TP (0.75,1), TN (0.4,0), FP (0.8,0)
    expect(s.perClass[1]).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 2, accuracy: 0.75, precision: 0.5, recall: 1 });
    expect(s.perClass[1]?.f1).toBeCloseTo(2 / 3, 12);
    expect(s.meanAccuracy).toBeCloseTo(0.625, 12);
    expect(s.meanRecall).toBeCloseTo(0.75, 12);
    expect(s.exactMatch).toBe(0.25);
  });

  it('takes one threshold per class; a score equal to the threshold is positive (0.75 is exact in float32)', () => {
    const s = classificationScores(set, [0.95, 0.75]);
    expect(s.perClass[0]).toMatchObject({ tp: 0, fp: 0, fn: 2, tn: 2, precision: 0, recall: 0, f1: 0 });
    expect(s.perClass[1]).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 2 });
  });

  it('rejects shapes that do not match', () => {
    expect(() => classificationScores({ ...set, count: 3 })).toThrow(/expected 3×2/);
    expect(() => classificationScores(set, [0.5])).toThrow(/expected 2 thresholds/);
  });
});
