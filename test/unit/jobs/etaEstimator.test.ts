// Pure unit test of the ETA estimator (kept with the jobs tests this engineer owns).
import { describe, expect, it } from 'vitest';
import { EtaEstimator } from '../../../src-main/core/jobs/etaEstimator';

describe('EtaEstimator', () => {
  it('gives the exact time left at a steady rate', () => {
    const eta = new EtaEstimator({ minSpanMs: 1000 });
    eta.start(0);
    expect(eta.report(1, 100, 500)).toBeNull(); // too early to tell
    for (let s = 1; s <= 40; s++) {
      const left = eta.report(s * 2, 100, s * 1000); // 2 items per second
      expect(left).toBeCloseTo((100 - s * 2) / 2, 6);
    }
    expect(eta.report(100, 100, 50_000)).toBe(0);
  });

  it('is not fooled by bursts: many reports at one instant, then a pause', () => {
    const eta = new EtaEstimator({ windowMs: 30_000, minSpanMs: 1000 });
    eta.start(0);
    const estimates: number[] = [];
    // 10 items land together every 5 s (2 items/s on average), reported one by one within 3 ms.
    for (let burst = 1; burst <= 8; burst++) {
      for (let i = 1; i <= 10; i++) {
        const left = eta.report((burst - 1) * 10 + i, 200, burst * 5000 + Math.floor(i / 4));
        if (left !== null) estimates.push(left);
      }
      const done = burst * 10;
      const trueLeft = (200 - done) / 2;
      expect(estimates.at(-1)).toBeGreaterThan(trueLeft * 0.95);
      expect(estimates.at(-1)).toBeLessThan(trueLeft * 1.05);
    }
    // Within a burst the estimate never collapses as if the rate were thousands per second.
    expect(Math.min(...estimates)).toBeGreaterThan(40);
  });

  it('follows a change of pace within its window and forgets older history', () => {
    const eta = new EtaEstimator({ windowMs: 10_000, minSpanMs: 1000 });
    eta.start(0);
    let done = 0;
    let t = 0;
    for (; t < 60_000; t += 1000) eta.report((done += 1), 1000, t + 1000); // 1/s for a minute
    let left: number | null = null;
    for (let i = 0; i < 20; i++) left = eta.report((done += 10), 1000, (t += 1000)); // then 10/s
    expect(left).toBeCloseTo((1000 - done) / 10, 6);
  });

  it('has no estimate without progress or total, and restarts when the count goes back', () => {
    const eta = new EtaEstimator({ minSpanMs: 1000 });
    eta.start(0);
    expect(eta.report(0, 10, 5000)).toBeNull();
    expect(eta.report(3, 0, 6000)).toBeNull();
    expect(eta.report(5, 10, 10_000)).toBeCloseTo(10, 6);
    expect(eta.report(1, 10, 11_000)).toBeNull(); // count restarted: no history yet
    expect(eta.report(3, 10, 13_000)).toBeCloseTo(7, 6);
  });
});
