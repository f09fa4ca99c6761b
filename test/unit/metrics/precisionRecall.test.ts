import { describe, expect, it } from 'vitest';
import { chooseThreshold, precisionRecallCurve } from '../../../src-main/core/metrics/precisionRecall';

describe('precisionRecallCurve', () => {
  const scores = [0.9, 0.8, 0.8, 0.4, 0.1];
  const labels = [1, 0, 1, 1, 0];

  it('makes one step point per distinct score, tied scores together', () => {
    const c = precisionRecallCurve(scores, labels);
    expect(c.positives).toBe(3);
    expect(c.negatives).toBe(2);
    expect(c.points.map((p) => [p.threshold, p.tp, p.fp, p.fn])).toEqual([
      [0.9, 1, 0, 2],
      [0.8, 2, 1, 1],
      [0.4, 3, 1, 0],
      [0.1, 3, 2, 0],
    ]);
    expect(c.points.map((p) => p.precision)).toEqual([1, 2 / 3, 3 / 4, 3 / 5]);
    expect(c.points.map((p) => p.recall)).toEqual([1 / 3, 2 / 3, 1, 1]);
  });

  it('computes average precision as the area under the step curve', () => {
    // 1/3·1 + 1/3·2/3 + 1/3·3/4 + 0·3/5 = 29/36
    expect(precisionRecallCurve(scores, labels).averagePrecision).toBeCloseTo(29 / 36, 12);
    expect(precisionRecallCurve([0.9, 0.1], [1, 0]).averagePrecision).toBe(1);
  });

  it('does not depend on the input order', () => {
    const a = precisionRecallCurve(scores, labels);
    const b = precisionRecallCurve([0.1, 0.4, 0.8, 0.8, 0.9], [0, 1, 1, 0, 1]);
    expect(b).toEqual(a);
  });

  it('chooses the max-F1 threshold and the strictest threshold reaching a recall', () => {
    const c = precisionRecallCurve(scores, labels);
    const best = chooseThreshold(c, { kind: 'maxF1' });
    expect(best?.threshold).toBe(0.4);
    expect(best?.f1).toBeCloseTo(6 / 7, 12);
    expect(chooseThreshold(c, { kind: 'targetRecall', recall: 0.6 })?.threshold).toBe(0.8);
    expect(chooseThreshold(c, { kind: 'targetRecall', recall: 1 })?.threshold).toBe(0.4);
  });

  it('chooses a stricter threshold for a sparser population than the validation set', () => {
    const c = precisionRecallCurve(scores, labels); // 3 positives : 2 negatives
    // At the set's own balance the rule is plain max F1.
    expect(chooseThreshold(c, { kind: 'maxF1AtPrior', negativesPerPositive: 2 / 3 })?.threshold).toBe(0.4);
    // At 1 : 10 each false positive weighs 15: F1 0.5 at 0.9 beats 6 / 21 at 0.4.
    expect(chooseThreshold(c, { kind: 'maxF1AtPrior', negativesPerPositive: 10 })?.threshold).toBe(0.9);
  });

  it('handles no positives and no samples', () => {
    const none = precisionRecallCurve([0.3, 0.2], [0, 0]);
    expect(none.averagePrecision).toBeNull();
    expect(none.points.map((p) => p.precision)).toEqual([0, 0]);
    expect(chooseThreshold(none, { kind: 'targetRecall', recall: 0.5 })).toBeNull();
    const empty = precisionRecallCurve([], []);
    expect(empty.points).toEqual([]);
    expect(chooseThreshold(empty, { kind: 'maxF1' })).toBeNull();
    expect(() => precisionRecallCurve([0.1], [])).toThrow();
  });
});
