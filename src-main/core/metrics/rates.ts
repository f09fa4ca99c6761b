// Precision, recall and F1 from counts, with one convention for the empty cases used by every
// metric here: nothing predicted and nothing to find is perfect (1); predicting nothing when
// there is something to find gives precision 0 (and recall 0), so that F1 is 0 — an empty
// prediction never scores well against a non-empty truth.

export interface Rates {
  precision: number;
  recall: number;
  f1: number;
}

export function precisionRecallF1(tp: number, fp: number, fn: number): Rates {
  if (tp + fp + fn === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1 };
}
