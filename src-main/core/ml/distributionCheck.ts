// Out-of-distribution warnings for a sweep: compares an image (its bit depth and intensity
// histogram, as the tileStats job computes them) and a sweep's running counts with what the
// model card says the model was trained on (card.trainingData). A model applied to data unlike
// its training data still gives confident scores, so the user must be told; these checks are
// cheap and pure (no I/O), for the sweep service and the UI to call at any time.
//
// Intensities are compared on the [0, 1] scale (sample ÷ the bit depth's maximum, what the model
// reads before its preprocessing). A card with percentile normalisation is insensitive to the
// overall level and contrast, so the intensity check is skipped for it.
import type { z } from 'zod';
import type { SweepWarningSchema } from '../../api/channels/reviewChannels';
import type { IntensityStats, ModelCard } from './weights/modelCard';

/** A warning as a sweep run carries it (its kinds are declared once, in the API). */
export type DistributionWarning = z.infer<typeof SweepWarningSchema>;

export interface ImageIntensity {
  /** Stored bits per sample (8, 16…). */
  bitDepth: number;
  /**
   * Sample counts in equal bins spanning the bit depth's full range [0, 2^bitDepth) — the
   * tileStats job's 256-bin histogram. Absent: only the bit depth is checked.
   */
  histogram?: readonly number[];
}

export interface SweepCounts {
  /** Crops scored so far, and how many of them scored at or above the class threshold. */
  cropsSwept: number;
  positives: number;
}

/** Below this many crops the positive rate says too little to warn about. */
export const MIN_CROPS_FOR_RATE = 64;
/** Warn when the positive rate is at least this many times the expected one… */
export const RATE_FACTOR = 2.5;
/** …and that excess is this many binomial standard deviations above the expected count. */
const RATE_SIGMAS = 3;
/** The image's median must lie within the training's [p5 − margin, p95 + margin]. */
const MEDIAN_MARGIN = 0.05;
/** The image's p5–p95 spread must be within this factor of the training's (either way). */
const SPREAD_FACTOR = 3;

/**
 * Mean, standard deviation and percentiles on the [0, 1] scale of a histogram of equal bins
 * spanning [0, 1] (each bin's samples taken at its centre). All zero for an empty histogram.
 * Percentiles are the centre of the bin where the cumulative count first reaches q·total.
 */
export function intensityStatsFromHistogram(histogram: readonly number[]): IntensityStats {
  const bins = histogram.length;
  let total = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < bins; i++) {
    const n = histogram[i] ?? 0;
    const v = (i + 0.5) / bins;
    total += n;
    sum += n * v;
    sumSq += n * v * v;
  }
  if (total === 0 || bins === 0) return { mean: 0, std: 0, p1: 0, p5: 0, p50: 0, p95: 0, p99: 0 };
  const mean = sum / total;
  const percentile = (q: number): number => {
    const target = q * total;
    let cum = 0;
    for (let i = 0; i < bins; i++) {
      cum += histogram[i] ?? 0;
      if (cum >= target && cum > 0) return (i + 0.5) / bins;
    }
    return (bins - 0.5) / bins;
  };
  return {
    mean,
    std: Math.sqrt(Math.max(0, sumSq / total - mean * mean)),
    p1: percentile(0.01),
    p5: percentile(0.05),
    p50: percentile(0.5),
    p95: percentile(0.95),
    p99: percentile(0.99),
  };
}

const pct = (v: number): string => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)} %`;
const f2 = (v: number): string => v.toFixed(2);

/** Warnings about the image alone (bit depth, intensities); none when the card lacks training statistics. */
export function checkImage(card: ModelCard, image: ImageIntensity): DistributionWarning[] {
  const t = card.trainingData;
  if (!t) return [];
  const out: DistributionWarning[] = [];
  if (image.bitDepth !== t.bitDepth) {
    out.push({ kind: 'bitDepth', message: `${image.bitDepth}-bit image, the model was trained on ${t.bitDepth}-bit images` });
  }
  if (image.histogram && image.histogram.length > 0 && card.preprocessing.normalisation.kind !== 'percentile') {
    const s = intensityStatsFromHistogram(image.histogram);
    const ti = t.intensity;
    const reasons: string[] = [];
    if (s.p50 < ti.p5 - MEDIAN_MARGIN || s.p50 > ti.p95 + MEDIAN_MARGIN) {
      reasons.push(`median ${f2(s.p50)} outside the training's 5–95 % range ${f2(ti.p5)}–${f2(ti.p95)}`);
    }
    const spread = s.p95 - s.p5;
    const trainSpread = ti.p95 - ti.p5;
    if (trainSpread > 0 && (spread < trainSpread / SPREAD_FACTOR || spread > trainSpread * SPREAD_FACTOR)) {
      reasons.push(`5–95 % spread ${f2(spread)} vs ${f2(trainSpread)} in training`);
    }
    if (reasons.length > 0) out.push({ kind: 'intensity', message: `intensities unlike the training data (${reasons.join('; ')})` });
  }
  return out;
}

/**
 * Warning about a sweep's running counts: far more positives than the share the model's
 * threshold was chosen for (the card's sweep prior, else its validation rate). Null while too
 * few crops are swept or the excess could be chance.
 */
export function checkSweepRate(card: ModelCard, counts: SweepCounts): DistributionWarning | null {
  const t = card.trainingData;
  if (!t || counts.cropsSwept < MIN_CROPS_FOR_RATE) return null;
  const prior = t.sweepPositiveRate ?? t.validationPositiveRate;
  if (prior <= 0 || prior >= 1) return null;
  const n = counts.cropsSwept;
  const rate = counts.positives / n;
  const expected = n * prior;
  const sigma = Math.sqrt(n * prior * (1 - prior));
  if (rate < RATE_FACTOR * prior || counts.positives - expected < RATE_SIGMAS * sigma) return null;
  const which = t.sweepPositiveRate !== undefined ? "the sweep prior the model's threshold was set for" : "the model's validation prior";
  return { kind: 'positiveRate', message: `far more positives than ${which} (${pct(rate)} vs ${pct(prior)}): the image may be unlike the training data` };
}

/** All warnings for an image and, when given, a sweep's running counts. */
export function distributionWarnings(card: ModelCard, image: ImageIntensity, counts?: SweepCounts): DistributionWarning[] {
  const out = checkImage(card, image);
  const rate = counts ? checkSweepRate(card, counts) : null;
  if (rate) out.push(rate);
  return out;
}
