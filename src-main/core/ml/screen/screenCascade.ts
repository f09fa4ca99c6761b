// The sweep's screening step: the screen scores a batch of crops, and those below its threshold
// are ruled out before the full model sees them. What stays goes on to the full model, Grad-CAM
// and the masks exactly as without a screen, so a crop the screen keeps gets the same suggestions.
import { z } from 'zod';
import type { EnginePool, TaskPriority } from '../workerPool';
import { sigmoid } from '../sigmoid';

export const ScreenParamsSchema = z.object({
  /** Absolute path of the screen's manifest. */
  manifest: z.string().min(1),
  /** Keep a crop when the screen's probability of the swept class is at least this. */
  threshold: z.number().min(0).max(1),
});
export type ScreenParams = z.infer<typeof ScreenParamsSchema>;

/**
 * The score a ruled-out crop is recorded with: the screen's probability, held below the run's
 * threshold, so a crop never counts as positive (heat map, positive-rate warning) without the
 * full model having scored it.
 */
export function ruledOutScore(screenProbability: number, runThreshold: number): number {
  return Math.max(0, Math.min(screenProbability, runThreshold - 1e-6));
}

/** The screen's verdict on a set of crops, by their index `i`. */
export interface ScreenVerdict {
  /** Crops it rules out, with the score to record for each (ruledOutScore). */
  ruledOut: Map<number, number>;
  /** Crops it keeps, with its probability: the full model takes them in descending order. */
  kept: Map<number, number>;
}

/** Scores the crops with the screen and splits them at its threshold. */
export async function screenOut(
  pool: Pick<EnginePool, 'screenBatch'>,
  live: ReadonlyArray<{ i: number; input: Float32Array }>,
  size: number,
  classIndex: number,
  screen: ScreenParams,
  runThreshold: number,
  priority: TaskPriority = 'now',
): Promise<ScreenVerdict> {
  const logits = live.length > 0 ? await pool.screenBatch(live.map((l) => l.input), size, priority) : [];
  const verdict: ScreenVerdict = { ruledOut: new Map(), kept: new Map() };
  live.forEach((l, k) => {
    const probability = sigmoid((logits[k] as Float32Array)[classIndex] as number);
    if (probability < screen.threshold) verdict.ruledOut.set(l.i, ruledOutScore(probability, runThreshold));
    else verdict.kept.set(l.i, probability);
  });
  return verdict;
}
