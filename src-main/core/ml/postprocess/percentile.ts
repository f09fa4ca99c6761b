// Percentile with numpy's default ('linear') interpolation: the q-th percentile of n sorted
// values is the linear interpolation at fractional index q/100·(n − 1).

export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('percentile of an empty array');
  if (!(q >= 0 && q <= 100)) throw new Error(`percentile q must be in [0, 100], got ${q}`);
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  if (Number.isNaN(sorted[sorted.length - 1])) throw new Error('percentile of an array containing NaN');
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return frac === 0 ? a : a + (b - a) * frac;
}

/**
 * Several percentiles of one array, equal to `percentile` for each q, without sorting: each
 * order statistic the interpolation needs is found by quickselect on one copy (O(n) on average).
 * The sweep normalises every crop between two percentiles, where two full sorts of 65,536
 * values per 256² crop cost more than the screening network that follows (issue #19).
 */
export function percentiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) throw new Error('percentile of an empty array');
  for (const q of qs) if (!(q >= 0 && q <= 100)) throw new Error(`percentile q must be in [0, 100], got ${q}`);
  const a = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < n; i++) if (Number.isNaN(a[i])) throw new Error('percentile of an array containing NaN');
  return qs.map((q) => {
    const pos = (q / 100) * (n - 1);
    const lo = Math.floor(pos);
    const frac = pos - lo;
    const v = selectKth(a, lo);
    if (frac === 0 || lo + 1 >= n) return v;
    // After selecting the lo-th, everything right of it is ≥ it: the next order statistic is their minimum.
    let next = Infinity;
    for (let i = lo + 1; i < n; i++) if ((a[i] as number) < next) next = a[i] as number;
    return v + (next - v) * frac;
  });
}

/** The k-th smallest value (0-based); reorders `a` so a[k] holds it, smaller before, larger after. */
function selectKth(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    // Median of three as the pivot, then Hoare partition.
    const mid = (left + right) >> 1;
    const x = a[left] as number;
    const y = a[mid] as number;
    const z = a[right] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k] as number;
  }
  return a[k] as number;
}
