// The screen's threshold rule on known score lists: it keeps at least 99 % of the full model's
// positives on the held-out crops, as high as that allows (so the screen rules out the most).
import { describe, expect, it } from 'vitest';
import { chooseScreenThreshold, keepFromScore } from '../../../../src-main/core/ml/screen/screenThreshold';
import { inSecondLookBand, SECOND_LOOK_FLOOR } from '../../../../src-main/core/ml/sweep/secondLook';

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

  it('protects the second-look band: keeps ≥ 99 % of the crops the full model scores from the band floor up, not only its positives', () => {
    const classThreshold = 0.85;
    const from = keepFromScore(classThreshold, SECOND_LOOK_FLOOR);
    expect(from).toBe(Math.min(classThreshold, SECOND_LOOK_FLOOR));
    expect(keepFromScore(0.2, SECOND_LOOK_FLOOR)).toBe(0.2);
    // 200 held-out crops: full-model probabilities spread over [0, 1); the screen ranks them
    // roughly alike (its score is the full one, shuffled a little).
    const full = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) / 200);
    const screen = full.map((f, i) => Math.min(1, Math.max(0, f + (((i * 7919) % 21) - 10) / 100)));
    const onlyPositives = chooseScreenThreshold(screen, full.map((f) => f >= classThreshold))!;
    const band = chooseScreenThreshold(screen, full.map((f) => f >= from))!;
    const keptShare = (t: number, pick: (f: number) => boolean) => {
      const chosen = full.flatMap((f, i) => (pick(f) ? [screen[i] as number] : []));
      return chosen.filter((s) => s >= t).length / chosen.length;
    };
    // Certified on positives alone, the screen drops crops of the band (their second look is lost).
    expect(keptShare(onlyPositives.threshold, (f) => inSecondLookBand(f, classThreshold))).toBeLessThan(0.9);
    expect(keptShare(onlyPositives.threshold, (f) => f >= from)).toBeLessThan(0.99);
    // Certified from the band's floor, it keeps ≥ 99 % of the crops from the floor up (band and
    // positives together), here every positive and all but one crop of the band.
    expect(keptShare(band.threshold, (f) => f >= from)).toBeGreaterThanOrEqual(0.99);
    expect(band.recall).toBeGreaterThanOrEqual(0.99);
    expect(keptShare(band.threshold, (f) => f >= classThreshold)).toBe(1);
    expect(keptShare(band.threshold, (f) => inSecondLookBand(f, classThreshold))).toBeGreaterThan(0.98);
    expect(band.threshold).toBeLessThan(onlyPositives.threshold);
    expect(band.passRate).toBeGreaterThan(onlyPositives.passRate);
  });
});

