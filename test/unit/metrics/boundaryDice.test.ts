import { describe, expect, it } from 'vitest';
import { binaryMask, countForeground } from '../../../src-main/core/metrics/binaryMask';
import { maskBoundary, symmetricBoundaryDice } from '../../../src-main/core/metrics/boundaryDice';

function square(size: number, x0: number, y0: number, side: number) {
  const data = new Uint8Array(size * size);
  for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) if (x >= 0 && y >= 0 && x < size && y < size) data[y * size + x] = 1;
  return binaryMask(size, size, data);
}

describe('maskBoundary', () => {
  it('keeps the outer ring of a filled square and drops its interior', () => {
    const b = maskBoundary(square(7, 1, 1, 5));
    expect(countForeground(b)).toBe(16);
    expect(b.data[3 * 7 + 3]).toBe(0); // centre
    expect(b.data[1 * 7 + 1]).toBe(1); // corner
    expect(b.data[0]).toBe(0); // background stays background
  });

  it('counts the image edge as background', () => {
    const full = binaryMask(3, 3, new Uint8Array(9).fill(1));
    const b = maskBoundary(full);
    expect(Array.from(b.data)).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1]);
  });

  it('uses 8-connectivity: a diagonal background neighbour makes a boundary pixel', () => {
    const mask = square(5, 0, 0, 5);
    mask.data[0] = 0;
    const b = maskBoundary(mask);
    expect(b.data[1 * 5 + 1]).toBe(1);
    expect(b.data[2 * 5 + 2]).toBe(0);
  });
});

describe('symmetricBoundaryDice', () => {
  it('matches the hand-computed value on a 1-pixel-high strip (radius 1)', () => {
    // truth x=0..2, prediction x=1..3; every foreground pixel is a boundary pixel (image edge).
    // Local Dice: truth x0 2/3, x1 4/5, x2 4/5; prediction x1 4/5, x2 4/5, x3 2/3 → mean 68/90.
    const truth = binaryMask(6, 1, Uint8Array.from([1, 1, 1, 0, 0, 0]));
    const prediction = binaryMask(6, 1, Uint8Array.from([0, 1, 1, 1, 0, 0]));
    const r = symmetricBoundaryDice(truth, prediction, 1);
    expect(r.boundaryPixels).toBe(6);
    expect(r.sbd).toBeCloseTo(68 / 90, 12);
  });

  it('is 1 for identical masks and for two empty masks, 0 when one side is empty', () => {
    const a = square(20, 5, 5, 8);
    const empty = binaryMask(20, 20, new Uint8Array(400));
    expect(symmetricBoundaryDice(a, a).sbd).toBe(1);
    expect(symmetricBoundaryDice(empty, empty)).toEqual({ sbd: 1, boundaryPixels: 0 });
    expect(symmetricBoundaryDice(a, empty).sbd).toBe(0);
    expect(symmetricBoundaryDice(empty, a).sbd).toBe(0);
  });

  it('is symmetric and falls as the prediction moves away, reaching 0 beyond the radius', () => {
    const truth = square(40, 10, 10, 14);
    const scores = [0, 1, 2, 3, 6].map((shift) => symmetricBoundaryDice(truth, square(40, 10 + shift, 10 + shift, 14)).sbd);
    for (let k = 1; k < scores.length; k++) expect(scores[k]).toBeLessThan(scores[k - 1] as number);
    const moved = square(40, 11, 12, 14);
    expect(symmetricBoundaryDice(truth, moved).sbd).toBeCloseTo(symmetricBoundaryDice(moved, truth).sbd, 12);
    // Disjoint and more than 2r apart: no window sees both masks.
    expect(symmetricBoundaryDice(square(40, 0, 0, 8), square(40, 20, 20, 8)).sbd).toBe(0);
  });

  it('is stricter than Dice on thin misalignments of large objects', () => {
    // A one-pixel shift of a big square barely changes Dice but visibly changes the boundary.
    const truth = square(64, 8, 8, 40);
    const r = symmetricBoundaryDice(truth, square(64, 9, 8, 40)).sbd;
    expect(r).toBeLessThan(0.95);
    expect(r).toBeGreaterThan(0.5);
  });
});
