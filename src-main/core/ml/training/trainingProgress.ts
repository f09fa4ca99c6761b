// The structured progress a training job reports. The job protocol carries one optional string
// message per progress report, so training sends these as JSON in that message; main parses
// them with this schema (anything else in the message is ignored as plain text).
import { z } from 'zod';

export const EpochMetricsSchema = z.object({
  epoch: z.number().int().positive(),
  trainLoss: z.number(),
  trainAccuracy: z.number().min(0).max(1),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().min(0).max(1).nullable(),
  learningRate: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  /** True when this epoch's weights became the best checkpoint. */
  best: z.boolean(),
});
export type EpochMetrics = z.infer<typeof EpochMetricsSchema>;

export const TrainingProgressSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step'),
    epoch: z.number().int().positive(),
    epochs: z.number().int().positive(),
    step: z.number().int().nonnegative(),
    stepsPerEpoch: z.number().int().positive(),
    loss: z.number(),
    learningRate: z.number().nonnegative(),
  }),
  z.object({ type: z.literal('epoch'), metrics: EpochMetricsSchema }),
]);
export type TrainingProgress = z.infer<typeof TrainingProgressSchema>;

const PREFIX = 'training:';

export function encodeTrainingProgress(p: TrainingProgress): string {
  return PREFIX + JSON.stringify(p);
}

/** The structured progress in a job message, or null for any other message. */
export function decodeTrainingProgress(message: string | null | undefined): TrainingProgress | null {
  if (!message?.startsWith(PREFIX)) return null;
  try {
    const parsed = TrainingProgressSchema.safeParse(JSON.parse(message.slice(PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
