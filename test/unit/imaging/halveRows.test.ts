import { describe, expect, it } from 'vitest';
import { halveRows } from '../../../src-main/core/imaging/raster';

describe('halveRows (2 × 2 mean, half up, odd edges)', () => {
  it('averages gray 8-bit with odd width and height', () => {
    // 3 × 3:  1 2 3 / 4 5 6 / 7 8 9
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dst = new Uint8Array(4);
    halveRows(src, 3, 3, 1, dst);
    // (1+2+4+5)/4 = 3; (3+6)/2 = 4.5 → 5; (7+8)/2 = 7.5 → 8; 9
    expect([...dst]).toEqual([3, 5, 8, 9]);
  });
  it('rounds half up and keeps 16-bit range', () => {
    const src = Uint16Array.from([65535, 65534, 65535, 65535]);
    const dst = new Uint16Array(1);
    halveRows(src, 2, 2, 1, dst);
    expect(dst[0]).toBe(65535); // 262139 / 4 = 65534.75 → 65535
    const half = new Uint16Array(1);
    halveRows(Uint16Array.from([1, 2, 2, 1]), 2, 2, 1, half);
    expect(half[0]).toBe(2); // 1.5 → 2
  });
  it('keeps RGB channels apart', () => {
    const src = Uint8Array.from([10, 20, 30, 12, 22, 32, 14, 24, 34, 16, 26, 36, 100, 0, 255]);
    // width 5 (one row): pairs (px0,px1), (px2,px3), odd px4
    const dst = new Uint8Array(9);
    halveRows(src, 5, 1, 3, dst);
    expect([...dst]).toEqual([11, 21, 31, 15, 25, 35, 100, 0, 255]);
  });
  it('gives the same means on the word-at-a-time 8-bit grey path (aligned, width a multiple of 8)', () => {
    const [w, h] = [48, 6];
    const buf = new Uint8Array(4 + w * h);
    let seed = 99;
    for (let i = 0; i < buf.length; i++) buf[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 23;
    buf.fill(255, 4, 4 + w); // saturated row: the lane sums reach their maximum
    const expected = new Uint8Array((w / 2) * (h / 2));
    for (let y = 0; y < h / 2; y++)
      for (let x = 0; x < w / 2; x++) {
        const at = (yy: number, xx: number) => buf[4 + yy * w + xx]!;
        expected[y * (w / 2) + x] = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1) + 2) >> 2;
      }
    const aligned = new Uint8Array(expected.length);
    halveRows(buf.subarray(4), w, h, 1, aligned);
    expect([...aligned]).toEqual([...expected]);
    // A misaligned source takes the per-pixel path and must agree.
    const copy = new Uint8Array(1 + w * h);
    copy.set(buf.subarray(4), 1);
    const misaligned = new Uint8Array(expected.length);
    halveRows(copy.subarray(1), w, h, 1, misaligned);
    expect([...misaligned]).toEqual([...expected]);
  });
});
