// Minimum-cost assignment on a rectangular cost matrix (Kuhn–Munkres, the O(n²·m) shortest
// augmenting path form with row/column potentials). Every row of the smaller side is assigned
// to a distinct column of the larger side so that the total cost is minimal. Deterministic:
// among equal-cost solutions it always returns the same one for the same matrix.

export interface CostMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows × cols, row-major. Finite values only. */
  readonly cost: Float64Array;
}

export interface Assignment {
  /** For each row, its column, or −1 when the row is left out (rows > cols). */
  rowToCol: Int32Array;
  /** For each column, its row, or −1 when the column is left out (cols > rows). */
  colToRow: Int32Array;
  totalCost: number;
}

export function solveAssignment(matrix: CostMatrix): Assignment {
  const { rows, cols, cost } = matrix;
  if (cost.length !== rows * cols) throw new RangeError(`cost matrix ${rows}×${cols} needs ${rows * cols} values, got ${cost.length}`);
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) throw new RangeError(`cost[${i}] is not finite`);
  }
  const rowToCol = new Int32Array(rows).fill(-1);
  const colToRow = new Int32Array(cols).fill(-1);
  if (rows === 0 || cols === 0) return { rowToCol, colToRow, totalCost: 0 };
  // The algorithm needs n ≤ m; solve the transpose when there are more rows than columns.
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  const at = transposed ? (i: number, j: number) => cost[j * cols + i] as number : (i: number, j: number) => cost[i * cols + j] as number;
  const match = kuhnMunkres(n, m, at);
  let totalCost = 0;
  for (let j = 0; j < m; j++) {
    const i = match[j] as number;
    if (i < 0) continue;
    totalCost += at(i, j);
    if (transposed) {
      rowToCol[j] = i;
      colToRow[i] = j;
    } else {
      rowToCol[i] = j;
      colToRow[j] = i;
    }
  }
  return { rowToCol, colToRow, totalCost };
}

/** Returns, for each of the m columns, the row (0..n−1) assigned to it or −1. Requires n ≤ m. */
function kuhnMunkres(n: number, m: number, at: (i: number, j: number) => number): Int32Array {
  // 1-based arrays with index 0 as the virtual start column (classic formulation).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row matched to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    // Augment along the alternating path back to the virtual column.
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const match = new Int32Array(m).fill(-1);
  for (let j = 1; j <= m; j++) if ((p[j] as number) > 0) match[j - 1] = (p[j] as number) - 1;
  return match;
}
