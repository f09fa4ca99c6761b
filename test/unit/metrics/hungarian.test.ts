import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../../../src-main/core/metrics/hungarian';
import { mulberry32 } from '../../../src-main/core/ml/training/seededRandom';

const matrix = (rows: number[][]) => ({ rows: rows.length, cols: rows[0]?.length ?? 0, cost: Float64Array.from(rows.flat()) });

function permutations(items: number[], k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  items.forEach((item, idx) => {
    const rest = items.filter((_, j) => j !== idx);
    for (const tail of permutations(rest, k - 1)) out.push([item, ...tail]);
  });
  return out;
}

/** Exhaustive minimum over every injective assignment of the smaller side. */
function bruteForceMin(rows: number, cols: number, cost: Float64Array): number {
  let best = Infinity;
  if (rows <= cols) {
    for (const perm of permutations([...Array(cols).keys()], rows)) {
      best = Math.min(best, perm.reduce((s, c, r) => s + (cost[r * cols + c] as number), 0));
    }
  } else {
    for (const perm of permutations([...Array(rows).keys()], cols)) {
      best = Math.min(best, perm.reduce((s, r, c) => s + (cost[r * cols + c] as number), 0));
    }
  }
  return best;
}


describe('solveAssignment (Kuhn–Munkres)', () => {
  it('solves a hand-checked 3×3 problem', () => {
    const a = solveAssignment(matrix([[4, 1, 3], [2, 0, 5], [3, 2, 2]]));
    expect(Array.from(a.rowToCol)).toEqual([1, 0, 2]);
    expect(Array.from(a.colToRow)).toEqual([1, 0, 2]);
    expect(a.totalCost).toBe(5);
  });

  it('solves wide and tall rectangular problems, leaving the extra side unassigned', () => {
    const wide = solveAssignment(matrix([[1, 2, 3], [2, 4, 6]]));
    expect(Array.from(wide.rowToCol)).toEqual([1, 0]);
    expect(Array.from(wide.colToRow)).toEqual([1, 0, -1]);
    expect(wide.totalCost).toBe(4);
    const tall = solveAssignment(matrix([[1, 2], [2, 4], [3, 6]]));
    expect(Array.from(tall.rowToCol)).toEqual([1, 0, -1]);
    expect(Array.from(tall.colToRow)).toEqual([1, 0]);
    expect(tall.totalCost).toBe(4);
  });

  it('finds the optimum of random rectangular matrices (checked exhaustively)', () => {
    const rand = mulberry32(7);
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + Math.floor(rand() * 6);
      const cols = 1 + Math.floor(rand() * 6);
      // Small integer costs make many ties, the hard case for a wrong implementation.
      const cost = Float64Array.from({ length: rows * cols }, () => Math.floor(rand() * 5));
      const a = solveAssignment({ rows, cols, cost });
      expect(a.totalCost).toBe(bruteForceMin(rows, cols, cost));
      const assigned = Array.from(a.rowToCol).filter((c) => c >= 0);
      expect(assigned.length).toBe(Math.min(rows, cols));
      expect(new Set(assigned).size).toBe(assigned.length);
      for (let r = 0; r < rows; r++) {
        const c = a.rowToCol[r] as number;
        if (c >= 0) expect(a.colToRow[c]).toBe(r);
      }
    }
  });

  it('returns a valid, repeatable assignment when every cost ties', () => {
    const m = matrix([[3, 3, 3], [3, 3, 3], [3, 3, 3]]);
    const a = solveAssignment(m);
    expect(a.totalCost).toBe(9);
    expect(new Set(a.rowToCol).size).toBe(3);
    expect(Array.from(solveAssignment(m).rowToCol)).toEqual(Array.from(a.rowToCol));
  });

  it('handles empty matrices and rejects bad input', () => {
    expect(solveAssignment({ rows: 0, cols: 3, cost: new Float64Array(0) })).toMatchObject({ totalCost: 0 });
    expect(Array.from(solveAssignment({ rows: 2, cols: 0, cost: new Float64Array(0) }).rowToCol)).toEqual([-1, -1]);
    expect(() => solveAssignment({ rows: 2, cols: 2, cost: new Float64Array(3) })).toThrow(/needs 4/);
    expect(() => solveAssignment({ rows: 1, cols: 1, cost: Float64Array.of(Infinity) })).toThrow(/not finite/);
  });
});
