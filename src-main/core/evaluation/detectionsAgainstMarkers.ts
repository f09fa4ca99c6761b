// A sweep's suggestions scored against an expert's markers, by the rules the paper's
// expert-assistance figures use, stated so that any two tools agree:
//   - a marker is found when it lies inside a suggestion's box, edges included
//     (x ≤ px ≤ x + width, y ≤ py ≤ y + height);
//   - precision is the share of suggestions whose box holds at least one marker (so two markers
//     in one box are two found markers and one correct suggestion, and one marker in two boxes
//     is one found marker and two correct suggestions);
//   - the share of the image shown is core/review/shownFraction's: the union of the
//     suggestions' context rectangles over the image area.
// Empty cases follow core/metrics/rates.ts: nothing to find and nothing suggested is perfect.
import type { Point2 } from '../metrics/detection';
import { shownFraction } from '../review/shownFraction';

export type Box = readonly [number, number, number, number];

export interface ScoredBox {
  box: Box;
  score: number;
}

export interface DetectionFigures {
  threshold: number;
  truth: number;
  candidates: number;
  /** Markers inside at least one suggestion's box. */
  found: number;
  /** Suggestions whose box holds at least one marker. */
  correct: number;
  recall: number;
  precision: number;
  f1: number;
  shownFraction: number;
}

export function boxHolds(box: Box, p: Point2): boolean {
  const [x, y, w, h] = box;
  return p.x >= x && p.x <= x + w && p.y >= y && p.y <= y + h;
}

/** Recall, precision, F1 and the share shown for the suggestions scoring at least `threshold`. */
export function detectionFigures(markers: readonly Point2[], suggestions: readonly ScoredBox[], threshold: number, width: number, height: number): DetectionFigures {
  const kept = suggestions.filter((s) => s.score >= threshold);
  const found = markers.filter((m) => kept.some((s) => boxHolds(s.box, m))).length;
  const correct = kept.filter((s) => markers.some((m) => boxHolds(s.box, m))).length;
  const truth = markers.length;
  const candidates = kept.length;
  return { threshold, truth, candidates, found, correct, ...detectionRates(truth, found, candidates, correct), shownFraction: shownFraction(kept.map((s) => s.box), width, height) };
}

/**
 * Recall (found of truth), precision (correct of candidates) and F1 from counts — one image's or
 * a project's sums. Found and correct differ (two markers in one box), so core/metrics/rates'
 * tp/fp/fn form does not apply; its empty-case convention does.
 */
export function detectionRates(truth: number, found: number, candidates: number, correct: number): { recall: number; precision: number; f1: number } {
  if (truth === 0 && candidates === 0) return { recall: 1, precision: 1, f1: 1 };
  const recall = truth === 0 ? 0 : found / truth;
  const precision = candidates === 0 ? 0 : correct / candidates;
  const f1 = recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  return { recall, precision, f1 };
}

/** Curve points at most; beyond that the thresholds are spread evenly over the distinct scores. */
export const MAX_CURVE_POINTS = 64;

/**
 * Recall against the share of the image shown as the threshold moves (the paper's Fig. 6b): one
 * point per distinct score at or above `minThreshold` (the strictest first), or
 * MAX_CURVE_POINTS of them spread evenly over the sorted scores when there are more.
 */
export function recallShownCurve(markers: readonly Point2[], suggestions: readonly ScoredBox[], minThreshold: number, width: number, height: number): DetectionFigures[] {
  return curveThresholds(suggestions.map((s) => s.score), minThreshold).map((t) => detectionFigures(markers, suggestions, t, width, height));
}

/** The curve's thresholds: the distinct scores at or above `minThreshold`, strictest first, at most MAX_CURVE_POINTS. */
export function curveThresholds(scores: readonly number[], minThreshold: number): number[] {
  const distinct = [...new Set(scores.filter((s) => s >= minThreshold))].sort((a, b) => b - a);
  if (distinct.length <= MAX_CURVE_POINTS) return distinct;
  return [...new Set(Array.from({ length: MAX_CURVE_POINTS }, (_, i) => distinct[Math.round((i * (distinct.length - 1)) / (MAX_CURVE_POINTS - 1))] as number))];
}
