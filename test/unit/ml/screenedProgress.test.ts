// A screened sweep's progress is weighted by work: the crops the screen settles in its first pass
// cannot make the run look nearly done while the kept crops (each a forward pass and maybe
// Grad-CAM) are still to come; the reported count never passes the crops finished and reaches
// the total exactly at the end. Also the batches the full model takes kept crops in.
import { describe, expect, it } from 'vitest';
import { FULL_CROP_COST, ScreenedProgress } from '../../../src-main/core/ml/sweep/screenedProgress';
import { keptBatches } from '../../../src-main/core/ml/sweep/screenedSweep';

describe('ScreenedProgress', () => {
  it('counts a kept crop as FULL_CROP_COST settled ones, extrapolating the kept share', () => {
    // 100 crops; the screen's first chunk of 50 settles 45 and keeps 5.
    const p = new ScreenedProgress(100, 0, 100);
    p.settle(45);
    p.keep(5);
    // Expected work: 90 settled + 10 kept × cost; done: 45.
    const work = 90 + 10 * FULL_CROP_COST;
    expect(p.reported()).toBe(Math.floor((45 / work) * 100));
    expect(p.reported()).toBeLessThan(p.finished());
    // The rest screened: 45 more settled, 5 more kept; then the full model finishes the 10.
    p.settle(45);
    p.keep(5);
    let last = p.reported();
    for (let k = 0; k < 10; k++) {
      p.explain(1);
      const now = p.reported();
      expect(now).toBeGreaterThanOrEqual(last);
      expect(now).toBeLessThanOrEqual(p.finished());
      last = now;
    }
    expect(p.reported()).toBe(100);
  });

  it('starts from the crops a previous job finished, and reports them all when nothing is kept', () => {
    const p = new ScreenedProgress(64, 16, 48);
    expect(p.reported()).toBe(16);
    p.settle(48);
    expect(p.reported()).toBe(64);
  });

  it('never reports more than the crops finished, even when the share of work says more', () => {
    const p = new ScreenedProgress(10, 0, 10);
    p.settle(2);
    p.keep(2);
    p.explain(2);
    expect(p.reported()).toBeLessThanOrEqual(4);
  });
});

describe('keptBatches', () => {
  it('cuts the kept crops into the unscreened sweep’s batches, in order, without empty ones', () => {
    // Batches of 4: [0..3] [4..7] [8..11] [12..15]; the screen kept 1, 3, 9, 12, 13, 15.
    expect(keptBatches([13, 1, 9, 3, 15, 12], 4)).toEqual([[1, 3], [9], [12, 13, 15]]);
    expect(keptBatches([], 4)).toEqual([]);
  });
});
