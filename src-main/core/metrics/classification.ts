// Multi-label classification scores (the MICRA-Net output: one independent probability per
// class). A sample is predicted positive for a class when its score is ≥ the class threshold.
import { precisionRecallF1 } from './rates';

export interface MultiLabelSet {
  /** Number of samples. */
  count: number;
  /** Number of classes. */
  classes: number;
  /** count × classes, row-major: probabilities (or any score compared with the threshold). */
  scores: ArrayLike<number>;
  /** count × classes, row-major: 1 = class present, 0 = absent. */
  labels: ArrayLike<number>;
}

export interface ClassScores {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** (TP + TN) / count. */
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationScores {
  perClass: ClassScores[];
  /** Mean over classes of the per-class accuracy (the paper's multi-label accuracy). */
  meanAccuracy: number;
  /** Macro averages over classes. */
  meanPrecision: number;
  meanRecall: number;
  meanF1: number;
  /** Fraction of samples whose every class is predicted right. */
  exactMatch: number;
}

export function classificationScores(set: MultiLabelSet, threshold: number | ArrayLike<number> = 0.5): ClassificationScores {
  const { count, classes, scores, labels } = set;
  if (scores.length !== count * classes || labels.length !== count * classes) {
    throw new RangeError(`expected ${count}×${classes} scores and labels, got ${scores.length} and ${labels.length}`);
  }
  const thresholds = typeof threshold === 'number' ? new Array<number>(classes).fill(threshold) : Array.from(threshold);
  if (thresholds.length !== classes) throw new RangeError(`expected ${classes} thresholds, got ${thresholds.length}`);
  const counts = Array.from({ length: classes }, () => ({ tp: 0, fp: 0, fn: 0, tn: 0 }));
  let exact = 0;
  for (let n = 0; n < count; n++) {
    let allRight = true;
    for (let c = 0; c < classes; c++) {
      const k = n * classes + c;
      const predicted = (scores[k] as number) >= (thresholds[c] as number);
      const actual = (labels[k] as number) !== 0;
      const cc = counts[c] as { tp: number; fp: number; fn: number; tn: number };
      if (predicted && actual) cc.tp++;
      else if (predicted) cc.fp++;
      else if (actual) cc.fn++;
      else cc.tn++;
      if (predicted !== actual) allRight = false;
    }
    if (allRight) exact++;
  }
  const perClass = counts.map((c): ClassScores => ({
    ...c,
    accuracy: count === 0 ? 1 : (c.tp + c.tn) / count,
    ...precisionRecallF1(c.tp, c.fp, c.fn),
  }));
  const mean = (pick: (s: ClassScores) => number): number =>
    classes === 0 ? 1 : perClass.reduce((sum, s) => sum + pick(s), 0) / classes;
  return {
    perClass,
    meanAccuracy: mean((s) => s.accuracy),
    meanPrecision: mean((s) => s.precision),
    meanRecall: mean((s) => s.recall),
    meanF1: mean((s) => s.f1),
    exactMatch: count === 0 ? 1 : exact / count,
  };
}
