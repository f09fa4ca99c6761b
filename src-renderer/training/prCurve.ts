// The precision–recall curve of one class (points over the class threshold, as evaluation.run
// returns them): the order uPlot draws it in, the point for a threshold, and the max-F1 point.

export interface PrPoint {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/**
 * Points ordered for drawing as a path with recall on x: recall ascending, and among equal
 * recalls the higher threshold first (a higher threshold never has more recall, so this is the
 * order the curve is walked in as the threshold falls).
 */
export function curveForPlot(curve: readonly PrPoint[]): PrPoint[] {
  return [...curve].sort((a, b) => a.recall - b.recall || b.threshold - a.threshold);
}

/** The point whose threshold is closest to `threshold` (null for an empty curve). */
export function pointAtThreshold(curve: readonly PrPoint[], threshold: number): PrPoint | null {
  let best: PrPoint | null = null;
  for (const p of curve) if (best === null || Math.abs(p.threshold - threshold) < Math.abs(best.threshold - threshold)) best = p;
  return best;
}

/** The point of highest F1; ties go to the higher threshold (fewer false positives to review). */
export function maxF1Point(curve: readonly PrPoint[]): PrPoint | null {
  let best: PrPoint | null = null;
  for (const p of curve) if (best === null || p.f1 > best.f1 || (p.f1 === best.f1 && p.threshold > best.threshold)) best = p;
  return best;
}

/** uPlot's columns: x = recall, y = precision, in drawing order. */
export function prPlotData(curve: readonly PrPoint[]): [number[], number[]] {
  const sorted = curveForPlot(curve);
  return [sorted.map((p) => p.recall), sorted.map((p) => p.precision)];
}
