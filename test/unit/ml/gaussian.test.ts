import { describe, expect, it } from 'vitest';
import { gaussianFilter, gaussianKernel1d } from '../../../src-main/core/ml/postprocess/gaussian';

describe('gaussianKernel1d', () => {
  it('is truncated at ⌊4σ + 0.5⌋ and sums to 1', () => {
    expect(gaussianKernel1d(1).length).toBe(9);
    expect(gaussianKernel1d(5).length).toBe(41);
    const k = gaussianKernel1d(1);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // exp(-1/2) relative weight of the first neighbour.
    expect((k[5] as number) / (k[4] as number)).toBeCloseTo(Math.exp(-0.5), 12);
  });
});

describe('gaussianFilter', () => {
  it('matches scipy.ndimage.gaussian_filter(σ=1, mode="nearest") on impulses at the edges', () => {
    const w = 9;
    const h = 7;
    const data = new Float32Array(w * h);
    data[3 * w + 4] = 1;
    data[0] = 2;
    data[6 * w + 8] = -1;
    const out = gaussianFilter({ data, width: w, height: h }, 1).data;
    // Rows 0, 3 and 6 of scipy 1.10's output for the same input (float64).
    const expected: Record<number, number[]> = {
      0: [0.9785220083, 0.4204416955, 0.0821569617, 0.0074595293, 0.0019552837, 0.001072384, 0.0002392812, 1.96414e-5, 5.931e-7],
      3: [0.0064405362, 0.0045123014, 0.0220741125, 0.0965746191, 0.1591565028, 0.0965120825, 0.0212720553, 0.0003959427, -0.0031401818],
      6: [5.931e-7, 1.96414e-5, 0.0002392812, 0.001072384, 0.0016744515, -0.0021211887, -0.040719559, -0.2101913857, -0.4892601145],
    };
    for (const [row, values] of Object.entries(expected)) {
      values.forEach((v, x) => expect(out[Number(row) * w + x]).toBeCloseTo(v, 6));
    }
  });

  it('keeps a constant image constant (replicated edges lose no mass)', () => {
    const data = new Float32Array(5 * 4).fill(3.25);
    const out = gaussianFilter({ data, width: 5, height: 4 }, 5).data;
    for (const v of out) expect(v).toBeCloseTo(3.25, 5);
  });
});
