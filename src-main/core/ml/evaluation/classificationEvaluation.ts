// Classification evaluation of one model on labelled crops: per-class accuracy at the current
// thresholds, the precision–recall curve over each class's threshold, and the threshold the
// curve suggests (highest F1). Crops whose label for a class is unknown (weight 0) are left
// out of that class's figures.
import { chooseThreshold, precisionRecallCurve, type PrPoint } from '../../metrics';

export interface ClassEvaluation {
  classIndex: number;
  samples: number;
  positives: number;
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  averagePrecision: number | null;
  /** The curve, thinned to at most MAX_CURVE_POINTS points (threshold order, increasing recall). */
  curve: PrPoint[];
  /** Highest-F1 point of the curve; null without positives. */
  suggestedThreshold: number | null;
}

export const MAX_CURVE_POINTS = 200;

export function evaluateClass(
  probs: Float32Array,
  targets: Float32Array,
  weights: Float32Array,
  classes: number,
  classIndex: number,
  threshold: number,
): ClassEvaluation {
  const scores: number[] = [];
  const labels: number[] = [];
  for (let k = classIndex; k < probs.length; k += classes) {
    if ((weights[k] as number) === 0) continue;
    scores.push(probs[k] as number);
    labels.push(targets[k] as number);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  scores.forEach((s, i) => {
    const p = s >= threshold;
    const a = labels[i] !== 0;
    if (p && a) tp++;
    else if (p) fp++;
    else if (a) fn++;
    else tn++;
  });
  const curve = precisionRecallCurve(scores, labels);
  const chosen = curve.positives > 0 ? chooseThreshold(curve, { kind: 'maxF1' }) : null;
  const n = scores.length;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return {
    classIndex,
    samples: n,
    positives: curve.positives,
    threshold,
    accuracy: n === 0 ? 1 : (tp + tn) / n,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    averagePrecision: curve.averagePrecision,
    curve: thin(curve.points, MAX_CURVE_POINTS),
    suggestedThreshold: chosen ? chosen.threshold : null,
  };
}

function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))] as T);
  return out;
}
