import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../src-main/core/ml/explain/symmetricEigen';
import { coarseMap, pcaMap } from '../../../src-main/core/ml/explain/pcaMap';
import { upsampleNearest } from '../../../src-main/core/ml/explain/scalarMap';

describe('symmetricEigen', () => {
  it('finds the eigenpairs of a known symmetric matrix, largest first', () => {
    // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1; eigenvector of 3 is (1,1,0)/√2.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect(Array.from(values).map((v) => Number(v.toFixed(10)))).toEqual([5, 3, 1]);
    const v3 = vectors[1] as Float64Array;
    expect(Math.abs(v3[0] as number)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(v3[0]).toBeCloseTo(v3[1] as number, 10);
    expect(v3[2]).toBeCloseTo(0, 10);
  });
});

describe('upsampleNearest', () => {
  it('repeats each pixel f×f times', () => {
    const up = upsampleNearest({ data: Float32Array.from([1, 2, 3, 4]), width: 2, height: 2 }, 4, 4);
    expect(Array.from(up.data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});

/** Block maps at their native sizes for an 8×8 input, all equal to `f` seen at that scale. */
function blockMaps(f: (x: number, y: number, block: number) => number): { maps: Float32Array[]; sizes: [number, number][] } {
  const sizes: [number, number][] = [[8, 8], [8, 8], [4, 4], [4, 4], [2, 2], [2, 2], [1, 1], [1, 1]];
  const maps = sizes.map(([h, w], b) => {
    const m = new Float32Array(h * w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = f(x, y, b);
    return m;
  });
  return { maps, sizes };
}

describe('pcaMap', () => {
  it('recovers a signal shared by all layers, min–max scaled over L8 > 0, sign set by L8', () => {
    // L1, L2 carry a ramp s = x + 8y (scaled differently), the other layers are constant, so the
    // first component is the ramp. L8 (1×1) is positive everywhere.
    const ramp = (x: number, y: number): number => x + 8 * y;
    const { maps, sizes } = blockMaps((x, y, b) => (b === 0 ? ramp(x, y) : b === 1 ? -0.5 * ramp(x, y) : b === 7 ? 1 : 0.3));
    const pca = pcaMap(maps, sizes, 8, 8);
    // The L8-weighted mean of the (centred) scores is 0 here, so no flip: the map rises with the
    // ramp or falls with it, depending on the eigenvector's sign; it must be exactly linear.
    const first = pca.data[0] as number;
    const last = pca.data[63] as number;
    expect(Math.min(first, last)).toBeCloseTo(0, 6);
    expect(Math.max(first, last)).toBeCloseTo(1, 6);
    for (let p = 0; p < 64; p++) expect(Math.abs((pca.data[p] as number) - first)).toBeCloseTo(p / 63, 5);
  });

  it('orients the map so that the L8-weighted scores are high, whatever the eigenvector sign', () => {
    // The signal is high in the two bottom rows; L8 (given at full resolution here so it can
    // localise) is positive on the bottom half. Both signs of the signal give the same map.
    const sizes: [number, number][] = [[8, 8], [8, 8], [8, 8], [8, 8], [8, 8], [8, 8], [8, 8], [8, 8]];
    const signal = (y: number): number => (y >= 6 ? 1 : 0);
    for (const sign of [1, -1]) {
      const maps = sizes.map((_, b) => {
        const m = new Float32Array(64);
        for (let p = 0; p < 64; p++) {
          const y = Math.floor(p / 8);
          m[p] = b === 7 ? (y >= 4 ? 1 : 0) : sign * (b + 1) * signal(y) + 0.01 * ((p * 7 + b) % 5);
        }
        return m;
      });
      const pca = pcaMap(maps, sizes, 8, 8);
      // Marker rows map near 1, the others near 0 (scaled over the L8 > 0 half).
      expect(pca.data[63]).toBeGreaterThan(0.9);
      expect(pca.data[32]).toBeLessThan(0.1);
    }
  });

  it('coarse map is block 8 repeated to the input size', () => {
    const { maps, sizes } = blockMaps((_x, _y, b) => (b === 7 ? 0.25 : 0));
    const coarse = coarseMap(maps, sizes, 8, 8);
    expect(coarse.width).toBe(8);
    expect(Array.from(coarse.data).every((v) => v === 0.25)).toBe(true);
  });

  it('rejects a wrong number of maps or sizes that do not match', () => {
    const { maps, sizes } = blockMaps(() => 0);
    expect(() => pcaMap(maps.slice(1), sizes.slice(1), 8, 8)).toThrow(/8 block maps/);
    expect(() => pcaMap(maps, [[4, 4], ...sizes.slice(1)], 8, 8)).toThrow(/not 4×4/);
  });
});
