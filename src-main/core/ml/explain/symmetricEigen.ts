// Eigen-decomposition of a small symmetric matrix (the 7×7 PCA covariance) by cyclic Jacobi
// rotations: simple, unconditionally stable, and exact to double precision for this size.

export interface Eigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** vectors[k] is the unit eigenvector of values[k]. */
  vectors: Float64Array[];
}

/** `m` is row-major n×n and symmetric; it is not modified. */
export function symmetricEigen(m: Float64Array, n: number): Eigen {
  if (m.length !== n * n) throw new Error(`matrix of ${m.length} values is not ${n}×${n}`);
  const a = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const at = (i: number, j: number): number => a[i * n + j] as number;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += at(i, j) ** 2;
    let diag = 0;
    for (let i = 0; i < n; i++) diag += at(i, i) ** 2;
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, sym.schur2).
        const tau = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => at(j, j) - at(i, i));
  const values = Float64Array.from(order.map((i) => at(i, i)));
  const vectors = order.map((col) => {
    const e = new Float64Array(n);
    for (let k = 0; k < n; k++) e[k] = v[k * n + col] as number;
    return e;
  });
  return { values, vectors };
}
