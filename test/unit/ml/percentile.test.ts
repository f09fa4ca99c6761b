import { describe, expect, it } from 'vitest';
import { percentile } from '../../../src-main/core/ml/postprocess/percentile';

describe('percentile', () => {
  it('interpolates linearly like numpy.percentile', () => {
    const v = [3.5, -1, 2, 8, 0.25, 7, 7, 1.5, 4, 9, -2];
    // numpy.percentile(v, q) for q = 0, 10, 25, 50, 90, 99, 100
    const expected = [-2.0, -1.0, 0.875, 3.5, 8.0, 8.9, 9.0];
    [0, 10, 25, 50, 90, 99, 100].forEach((q, i) => expect(percentile(v, q)).toBeCloseTo(expected[i] as number, 10));
  });

  it('does not reorder its input and rejects bad arguments', () => {
    const v = new Float32Array([3, 1, 2]);
    expect(percentile(v, 50)).toBe(2);
    expect(Array.from(v)).toEqual([3, 1, 2]);
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1], 101)).toThrow(/\[0, 100\]/);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(/NaN/);
  });
});
