// The screen's threshold rule: on held-out crops, the highest screen probability that still keeps
// at least `targetRecall` of the crops the full model calls positive. A crop the screen scores
// below it is not explained. Pure, so it is tested on known score lists.

export interface ThresholdChoice {
  /** Keep a crop when its screen probability is at least this. */
  threshold: number;
  /** Share of the full model's positives kept at that threshold (held-out crops). */
  recall: number;
  /** Share of all held-out crops kept (what the full model still has to score). */
  passRate: number;
  positives: number;
  crops: number;
}

export const TARGET_RECALL = 0.99;

/**
 * `screen[i]`: the screen's probability of crop i; `positive[i]`: whether the full model calls it
 * positive. Returns null when no crop is positive: nothing to certify the screen on, so no screen.
 * Ties at the threshold are kept (≥), so the recall is never below the target; a `margin` (on the
 * probability) lowers the threshold further for safety beyond the held-out set.
 */
export function chooseScreenThreshold(screen: ArrayLike<number>, positive: ArrayLike<boolean>, targetRecall = TARGET_RECALL, margin = 0): ThresholdChoice | null {
  if (screen.length !== positive.length) throw new Error(`${screen.length} screen scores for ${positive.length} labels`);
  if (!(targetRecall > 0 && targetRecall <= 1)) throw new RangeError('target recall must lie in (0, 1]');
  const pos: number[] = [];
  for (let i = 0; i < screen.length; i++) if (positive[i]) pos.push(screen[i] as number);
  if (pos.length === 0) return null;
  pos.sort((a, b) => a - b);
  // May drop the k lowest positives: (P − k) / P ≥ target.
  const k = Math.floor(pos.length * (1 - targetRecall) + 1e-9);
  const threshold = Math.max(0, (pos[k] as number) - margin);
  let keptPositives = 0;
  let kept = 0;
  for (let i = 0; i < screen.length; i++) {
    if ((screen[i] as number) < threshold) continue;
    kept++;
    if (positive[i]) keptPositives++;
  }
  return { threshold, recall: keptPositives / pos.length, passRate: kept / screen.length, positives: pos.length, crops: screen.length };
}

/**
 * The full model's probability from which a held-out crop is one the screen must keep: the class
 * threshold, or the second look's floor (secondLook.ts) when lower. A crop the screen rules out is
 * never looked at again, so a screen certified only on the full model's positives would take the
 * second look away from the crops scoring just under the threshold, where it finds markers cut by
 * crop borders.
 */
export function keepFromScore(classThreshold: number, secondLookFloor: number): number {
  return Math.min(classThreshold, secondLookFloor);
}
