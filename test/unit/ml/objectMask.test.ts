// The sweep's measuring mask: the threshold follows the object, so mask areas follow object
// areas (unlike the reference EM mask, a fixed share of the crop), and the object kept is the
// one at the asked point even beside a stronger one.
import { describe, expect, it } from 'vitest';
import type { ScalarMap } from '../../../src-main/core/ml/explain/scalarMap';
import { objectCandidates, objectMaskAt } from '../../../src-main/core/ml/postprocess/objectMask';
import { maskArea } from '../../../src-main/core/review/maskRegion';

const S = 256;

/** A map holding flat discs (value `v` inside radius `r`) on a zero background. */
function discs(list: Array<{ x: number; y: number; r: number; v: number }>): ScalarMap {
  const data = new Float32Array(S * S);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++)
      for (const d of list) if ((x - d.x) ** 2 + (y - d.y) ** 2 <= d.r * d.r) data[y * S + x] = Math.max(data[y * S + x]!, d.v);
  return { data, width: S, height: S };
}

describe('objectMaskAt', () => {
  it('measures discs of known area within 20 %', () => {
    for (const r of [22, 40, 70]) {
      const mask = objectMaskAt(discs([{ x: 128, y: 128, r, v: 1 }]), 128, 128);
      const truth = Math.PI * r * r;
      expect(Math.abs(maskArea(mask.data) - truth) / truth).toBeLessThan(0.2);
    }
  });

  it('keeps the object at the point, with its own threshold, beside a stronger object', () => {
    const map = discs([
      { x: 60, y: 60, r: 30, v: 1 },
      { x: 180, y: 180, r: 40, v: 0.25 },
    ]);
    const weak = objectMaskAt(map, 185, 175);
    expect(weak.data[180 * S + 180]).toBe(1);
    expect(weak.data[60 * S + 60]).toBe(0);
    expect(Math.abs(maskArea(weak.data) - Math.PI * 40 * 40) / (Math.PI * 40 * 40)).toBeLessThan(0.2);
  });

  it('is empty on a flat map', () => {
    expect(maskArea(objectMaskAt({ data: new Float32Array(S * S).fill(0.5), width: S, height: S }, 100, 100).data)).toBe(0);
  });
});

describe('objectCandidates', () => {
  it('finds each object strong enough beside the strongest, and ignores specks', () => {
    const map = discs([
      { x: 60, y: 60, r: 30, v: 1 },
      { x: 180, y: 180, r: 30, v: 0.8 },
      { x: 200, y: 40, r: 4, v: 1 },
    ]);
    const points = objectCandidates(map);
    expect(points).toHaveLength(2);
    // A flat disc's peak may be anywhere on its plateau, near the centre.
    const near = (x: number, y: number) => points.some((p) => Math.hypot(p.x - x, p.y - y) < 8);
    expect(near(60, 60) && near(180, 180)).toBe(true);
  });

  it('finds an object cut by the crop border, at the border', () => {
    const points = objectCandidates(discs([{ x: 250, y: 100, r: 40, v: 1 }]));
    expect(points).toHaveLength(1);
    expect(points[0]!.x).toBeGreaterThan(220);
  });
});
