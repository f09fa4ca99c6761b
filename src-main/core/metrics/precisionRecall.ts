// Precision–recall curve of one class over its decision threshold, average precision, and
// choosing an operating threshold from the curve.
//
// Scores are sorted in decreasing order; every distinct score is a threshold t and its point
// counts the samples with score ≥ t as predicted positive (tied scores enter together, so the
// curve is a step function with one point per distinct score). Points come in decreasing
// threshold order, i.e. increasing recall.
import { precisionRecallF1 } from './rates';

export interface PrPoint {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface PrCurve {
  points: PrPoint[];
  positives: number;
  negatives: number;
  /**
   * Σ (R_k − R_{k−1}) · P_k over the points (R_0 = 0): the area under the step curve, the
   * usual (scikit-learn) definition without interpolation. null when there is no positive.
   */
  averagePrecision: number | null;
}

export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrCurve {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores vs ${labels.length} labels`);
  const order = Array.from({ length: scores.length }, (_, i) => i);
  for (const i of order) if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) !== 0) positives++;
  const negatives = labels.length - positives;
  const points: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if ((labels[i] as number) !== 0) tp++;
    else fp++;
    const next = order[k + 1];
    // Close the step only after the last of a run of tied scores.
    if (next !== undefined && scores[next] === scores[i]) continue;
    const fn = positives - tp;
    const r = precisionRecallF1(tp, fp, fn);
    points.push({ threshold: scores[i] as number, tp, fp, fn, ...r });
  }
  let averagePrecision: number | null = null;
  if (positives > 0) {
    averagePrecision = 0;
    let previousRecall = 0;
    for (const p of points) {
      averagePrecision += (p.recall - previousRecall) * p.precision;
      previousRecall = p.recall;
    }
  }
  return { points, positives, negatives, averagePrecision };
}

export type ThresholdCriterion =
  /** The threshold of highest F1; ties go to the higher threshold (fewer suggestions). */
  | { kind: 'maxF1' }
  /**
   * The highest threshold whose recall reaches the target: the strictest setting that still
   * finds that fraction of the positives (every lower threshold reaches it too).
   */
  | { kind: 'targetRecall'; recall: number }
  /**
   * The highest-F1 threshold for a population with `negativesPerPositive` negatives per positive,
   * read off a curve measured on another balance (a validation set is often near 1 : 2, a sweep
   * over sparse markers nearer 1 : 16): each false positive counts `negativesPerPositive ·
   * positives / negatives` times, as it would at that prior.
   */
  | { kind: 'maxF1AtPrior'; negativesPerPositive: number };

/** The chosen point of the curve, or null when no point satisfies the criterion. */
export function chooseThreshold(curve: PrCurve, criterion: ThresholdCriterion): PrPoint | null {
  if (criterion.kind === 'maxF1') {
    let best: PrPoint | null = null;
    for (const p of curve.points) if (best === null || p.f1 > best.f1) best = p;
    return best;
  }
  if (curve.positives === 0) return null;
  if (criterion.kind === 'maxF1AtPrior') {
    const scale = curve.negatives === 0 ? 1 : (criterion.negativesPerPositive * curve.positives) / curve.negatives;
    let best: PrPoint | null = null;
    let bestF1 = -1;
    for (const p of curve.points) {
      const f1 = precisionRecallF1(p.tp, p.fp * scale, p.fn).f1;
      if (f1 > bestF1) {
        best = p;
        bestF1 = f1;
      }
    }
    return best;
  }
  for (const p of curve.points) if (p.recall >= criterion.recall) return p;
  return null;
}
