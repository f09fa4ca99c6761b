// percentiles (quickselect) gives exactly what percentile (numpy's linear rule on a sorted copy)
// gives, on random values, on 8-bit-like values full of ties, and at the ends; the crop
// normalisation a sweep applies to every crop uses it.
import { describe, expect, it } from 'vitest';
import { percentile, percentiles } from '../../../src-main/core/ml/postprocess/percentile';
import { mulberry32 } from '../../../src-main/core/ml/training/seededRandom';

describe('percentiles', () => {
  it('equals percentile for every q, with and without ties', () => {
    const random = mulberry32(9);
    const qs = [0, 1, 5, 37.5, 50, 99, 99.9, 100];
    for (const n of [1, 2, 3, 10, 257, 4096]) {
      const floats = Float32Array.from({ length: n }, () => random());
      const bytes = Float32Array.from({ length: n }, () => Math.floor(random() * 7) / 255);
      for (const values of [floats, bytes]) {
        const got = percentiles(values, qs);
        qs.forEach((q, i) => expect(got[i]).toBe(percentile(values, q)));
      }
    }
  });

  it('leaves its input as it was and refuses what percentile refuses', () => {
    const values = Float32Array.of(3, 1, 2);
    percentiles(values, [50]);
    expect([...values]).toEqual([3, 1, 2]);
    expect(() => percentiles([], [50])).toThrow(/empty/);
    expect(() => percentiles([1, NaN], [50])).toThrow(/NaN/);
    expect(() => percentiles([1], [101])).toThrow(/\[0, 100\]/);
  });
});
