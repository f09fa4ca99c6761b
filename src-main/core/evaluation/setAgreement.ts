// Two annotation sets of one image compared marker to marker: one-to-one matches within 56 px
// (half the paper's 113 px marker size) by optimal assignment (core/metrics' Hungarian
// centroid matching), so a marker of one expert is never counted for two of the other's. With
// an expert's set as truth and a second expert's as candidates, recall is the paper's
// inter-expert recall.
import { matchCentroids, type Point2 } from '../metrics/detection';

export const SET_MATCH_DISTANCE_PX = 56;

export interface AgreementFigures {
  truth: number;
  candidates: number;
  matched: number;
  recall: number;
  precision: number;
  f1: number;
  /** Mean distance of the matched pairs, px; null when none matched. */
  meanDistance: number | null;
}

export function setAgreement(truth: readonly Point2[], candidates: readonly Point2[], maxDistance = SET_MATCH_DISTANCE_PX): AgreementFigures {
  const m = matchCentroids(truth, candidates, maxDistance);
  const meanDistance = m.matches.length === 0 ? null : m.matches.reduce((s, x) => s + x.distance, 0) / m.matches.length;
  return { truth: truth.length, candidates: candidates.length, matched: m.tp, recall: m.recall, precision: m.precision, f1: m.f1, meanDistance };
}
