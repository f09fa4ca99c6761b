// Detection scores: predicted centroids are matched one-to-one to true centroids by the
// Hungarian algorithm; a pair farther apart than the distance threshold is not a match.
// The cost of a pair within the threshold is its distance; a pair beyond it costs more than
// any complete set of valid pairs, so the assignment first maximises the number of valid
// matches and then, among those, minimises the total distance.
import { solveAssignment } from './hungarian';
import { precisionRecallF1 } from './rates';

export interface Point2 {
  x: number;
  y: number;
}

export interface CentroidMatch {
  truthIndex: number;
  predictionIndex: number;
  distance: number;
}

export interface DetectionScores {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  matches: CentroidMatch[];
  /** Indices of predictions left unmatched (false positives). */
  unmatchedPredictions: number[];
  /** Indices of truths left unmatched (false negatives). */
  unmatchedTruths: number[];
}

export function matchCentroids(truths: readonly Point2[], predictions: readonly Point2[], maxDistance: number): DetectionScores {
  if (!(maxDistance >= 0) || !Number.isFinite(maxDistance)) throw new RangeError(`maxDistance must be finite and ≥ 0, got ${maxDistance}`);
  const rows = truths.length;
  const cols = predictions.length;
  const distance = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const t = truths[i] as Point2;
    for (let j = 0; j < cols; j++) {
      const p = predictions[j] as Point2;
      distance[i * cols + j] = Math.hypot(t.x - p.x, t.y - p.y);
    }
  }
  const forbidden = maxDistance * (Math.min(rows, cols) + 1) + 1;
  const cost = distance.map((d) => (d <= maxDistance ? d : forbidden));
  const { rowToCol } = solveAssignment({ rows, cols, cost });
  const matches: CentroidMatch[] = [];
  const predictionMatched = new Uint8Array(cols);
  const truthMatched = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const j = rowToCol[i] as number;
    if (j < 0) continue;
    const d = distance[i * cols + j] as number;
    if (d > maxDistance) continue;
    matches.push({ truthIndex: i, predictionIndex: j, distance: d });
    predictionMatched[j] = 1;
    truthMatched[i] = 1;
  }
  const unmatchedPredictions: number[] = [];
  for (let j = 0; j < cols; j++) if (!predictionMatched[j]) unmatchedPredictions.push(j);
  const unmatchedTruths: number[] = [];
  for (let i = 0; i < rows; i++) if (!truthMatched[i]) unmatchedTruths.push(i);
  const tp = matches.length;
  const fp = cols - tp;
  const fn = rows - tp;
  return { tp, fp, fn, ...precisionRecallF1(tp, fp, fn), matches, unmatchedPredictions, unmatchedTruths };
}
