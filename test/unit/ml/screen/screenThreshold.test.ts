// The screen's threshold rule on known score lists: it keeps at least 99 % of the full model's
// positives on the held-out crops, as high as that allows (so the screen rules out the most).
import { describe, expect, it } from 'vitest';
import { chooseScreenThreshold } from '../../../../src-main/core/ml/screen/screenThreshold';

describe('chooseScreenThreshold', () => {
  it('keeps every positive when fewer than 100 are known, at the lowest positive score', () => {
    const screen = [0.01, 0.02, 0.3, 0.05, 0.6, 0.04, 0.9, 0.2];
    const positive = [false, false, true, false, true, false, true, false];
    const c = chooseScreenThreshold(screen, positive)!;
    expect(c.threshold).toBe(0.3);
    expect(c.recall).toBe(1);
    expect(c.positives).toBe(3);
    // Kept: 0.3, 0.6, 0.9 — the negatives at 0.2 and below are ruled out.
    expect(c.passRate).toBeCloseTo(3 / 8, 12);
  });

  it('drops at most 1 % of 200 positives: the two lowest, and no more', () => {
    // Positives score 0.005, 0.010, …, 1.000; 800 negatives score below 0.1.
    const screen: number[] = [];
    const positive: boolean[] = [];
    for (let i = 1; i <= 200; i++) {
      screen.push(i / 200);
      positive.push(true);
    }
    for (let i = 0; i < 800; i++) {
      screen.push((i % 100) / 1000);
      positive.push(false);
    }
    const c = chooseScreenThreshold(screen, positive)!;
    expect(c.threshold).toBeCloseTo(3 / 200, 12);
    expect(c.recall).toBeCloseTo(198 / 200, 12);
    expect(c.recall).toBeGreaterThanOrEqual(0.99);
    // The negatives at 0.015 … 0.099 are kept too (85 of each 100).
    expect(c.passRate).toBeCloseTo((198 + 8 * 85) / 1000, 12);
  });

  it('keeps ties at the threshold and never falls under the target recall', () => {
    const screen = [0.4, 0.4, 0.4, 0.1, 0.4];
    const positive = [true, true, true, false, false];
    const c = chooseScreenThreshold(screen, positive)!;
    expect(c.threshold).toBe(0.4);
    expect(c.recall).toBe(1);
    expect(c.passRate).toBe(0.8);
    for (const target of [0.5, 0.9, 0.99, 1]) {
      const scores = Array.from({ length: 300 }, (_, i) => ((i * 7919) % 300) / 300);
      const labels = scores.map((_, i) => i % 3 === 0);
      const r = chooseScreenThreshold(scores, labels, target)!;
      expect(r.recall).toBeGreaterThanOrEqual(target);
    }
  });

  it('lowers the threshold by a margin, and gives no screen without positives', () => {
    const c = chooseScreenThreshold([0.5, 0.8], [true, true], 0.99, 0.1)!;
    expect(c.threshold).toBeCloseTo(0.4, 12);
    expect(chooseScreenThreshold([0.5, 0.8], [false, false])).toBeNull();
    expect(() => chooseScreenThreshold([0.5], [true, false])).toThrow(/labels/);
  });
});
