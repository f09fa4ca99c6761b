import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../../src-renderer/viewer/coords';
import { planTiles } from '../../../src-renderer/viewer/tilePriority';
import { tileKeyString } from '../../../src-renderer/viewer/tileGrid';

// A 10,240² pyramid: levels 0..5 (10240, 5120, 2560, 1280, 640, 320).
const shape = {
  tileSize: 512,
  levelSizes: [10240, 5120, 2560, 1280, 640, 320].map((s) => [s, s] as [number, number]),
};

describe('planTiles', () => {
  const vp = { center: imagePoint(5000, 5000), scale: 1, width: 1024, height: 768, pixelRatio: 1 };

  it('requests the coarsest level first, then visible tiles nearest the centre', () => {
    const plan = planTiles(vp, 0, shape, null);
    const keys = plan.requests.map(tileKeyString);
    expect(keys[0]).toBe('5/0/0');
    // The centre (5000, 5000) lies in tile (9, 9) of level 0.
    expect(keys[1]).toBe('0/9/9');
    // Visible: x 4488..5512, y 4616..5384 → cols 8..10, rows 9..10.
    expect(plan.visible.map(tileKeyString).sort()).toEqual(['0/10/10', '0/10/9', '0/8/10', '0/8/9', '0/9/10', '0/9/9'].sort());
    // Distances never decrease inside the visible group.
    const d = plan.visible.map((t) => Math.hypot(t.col * 512 + 256 - 5000, t.row * 512 + 256 - 5000));
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThanOrEqual(d[i - 1] as number);
  });

  it('prefetches one level ahead in the zoom direction, after the visible tiles', () => {
    const outward = planTiles({ ...vp, scale: 0.3 }, 1, shape, 'out').requests;
    const visibleCount = planTiles({ ...vp, scale: 0.3 }, 1, shape, 'out').visible.length;
    expect(outward.slice(1, 1 + visibleCount).every((t) => t.level === 1)).toBe(true);
    expect(outward.slice(1 + visibleCount).every((t) => t.level === 2)).toBe(true);
    expect(outward.slice(1 + visibleCount).length).toBeGreaterThan(0);
    const inward = planTiles({ ...vp, scale: 0.3 }, 1, shape, 'in').requests;
    expect(inward.slice(1 + visibleCount).every((t) => t.level === 0)).toBe(true);
  });

  it('splits the plan into urgent (coarsest + visible) and ahead (prefetch) tiles', () => {
    const plan = planTiles({ ...vp, scale: 0.3 }, 1, shape, 'out');
    expect(plan.urgent.map(tileKeyString)).toEqual(['5/0/0', ...plan.visible.map(tileKeyString)]);
    expect(plan.ahead.length).toBeGreaterThan(0);
    expect(plan.ahead.every((t) => t.level === 2)).toBe(true);
    expect(plan.requests).toEqual([...plan.urgent, ...plan.ahead]);
  });

  it('lists each tile once when the view is at the coarsest level', () => {
    const plan = planTiles({ ...vp, center: imagePoint(5120, 5120), scale: 0.02 }, 5, shape, 'out');
    expect(plan.requests.map(tileKeyString)).toEqual(['5/0/0']);
  });
});
