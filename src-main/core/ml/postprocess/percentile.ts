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
