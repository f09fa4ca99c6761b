// The recall-vs-shown curve (the paper's Fig. 6b) as uPlot data: x (share of the image shown)
// must rise along the series, so points are ordered by it, and thresholds that show the same
// share keep their best recall (a vertical step reads the same).
import type { RequestResult } from '../../src-main/api/types';

type RunEvaluation = Extract<RequestResult<'evaluation.detections'>, { mode: 'run' }>;
export type CurvePoint = RunEvaluation['curve'][number];

export function curveForPlot(curve: readonly CurvePoint[]): CurvePoint[] {
  const byShown = new Map<number, CurvePoint>();
  for (const p of curve) {
    const had = byShown.get(p.shownFraction);
    if (!had || p.recall > had.recall) byShown.set(p.shownFraction, p);
  }
  return [...byShown.values()].sort((a, b) => a.shownFraction - b.shownFraction);
}

/** "12.5 %" */
export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
