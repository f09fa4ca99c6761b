// Pixel-wise segmentation scores: F1 (= Dice) and IoU (= Jaccard) of a predicted mask against
// the truth. Convention for the degenerate case: when both masks are empty the prediction is
// perfect (score 1); when exactly one is empty the score is 0.
import { assertSameSize, type BinaryMask } from './binaryMask';
import { precisionRecallF1 } from './rates';

export interface PixelCounts {
  /** Foreground in both. */
  tp: number;
  /** Foreground in the prediction only. */
  fp: number;
  /** Foreground in the truth only. */
  fn: number;
  /** Background in both. */
  tn: number;
}

export interface SegmentationScores extends PixelCounts {
  f1: number;
  iou: number;
  precision: number;
  recall: number;
}

export function pixelCounts(truth: BinaryMask, prediction: BinaryMask): PixelCounts {
  assertSameSize(truth, prediction);
  const t = truth.data;
  const p = prediction.data;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < t.length; i++) {
    const inT = t[i] !== 0;
    const inP = p[i] !== 0;
    if (inT && inP) tp++;
    else if (inP) fp++;
    else if (inT) fn++;
  }
  return { tp, fp, fn, tn: t.length - tp - fp - fn };
}

/** 2·TP / (2·TP + FP + FN); 1 when both masks are empty. */
export function diceFromCounts(c: PixelCounts): number {
  const denom = 2 * c.tp + c.fp + c.fn;
  return denom === 0 ? 1 : (2 * c.tp) / denom;
}

/** TP / (TP + FP + FN); 1 when both masks are empty. */
export function iouFromCounts(c: PixelCounts): number {
  const denom = c.tp + c.fp + c.fn;
  return denom === 0 ? 1 : c.tp / denom;
}

export function segmentationScores(truth: BinaryMask, prediction: BinaryMask): SegmentationScores {
  const c = pixelCounts(truth, prediction);
  const { precision, recall } = precisionRecallF1(c.tp, c.fp, c.fn);
  return { ...c, f1: diceFromCounts(c), iou: iouFromCounts(c), precision, recall };
}

export function dice(truth: BinaryMask, prediction: BinaryMask): number {
  return diceFromCounts(pixelCounts(truth, prediction));
}

export function iou(truth: BinaryMask, prediction: BinaryMask): number {
  return iouFromCounts(pixelCounts(truth, prediction));
}
