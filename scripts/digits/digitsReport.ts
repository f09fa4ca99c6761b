// The JSON the cluttered-digits benchmark prints, as a zod schema: the smoke test checks a run's
// output against it, and a reader knows every field. Accuracies and segmentation scores are in
// [0, 1]; losses are finite and non-negative.
import { z } from 'zod';

const unit = z.number().min(0).max(1);
const loss = z.number().nonnegative().finite();

export const MapScoresSchema = z.object({ f1: unit, iou: unit, sbd: unit });

export const DigitsReportSchema = z.object({
  benchmark: z.literal('cluttered-digits'),
  paper: z.object({
    trainFields: z.literal(2000),
    validationFields: z.literal(1000),
    testFields: z.literal(1000),
    fieldSize: z.literal(256),
    accuracy: z.literal(0.989),
    accuracySd: z.literal(0.005),
    segmentation: z.string(),
  }),
  scale: z.object({
    trainFields: z.number().int().positive(),
    validationFields: z.number().int().nonnegative(),
    testFields: z.number().int().positive(),
    epochs: z.number().int().positive(),
    fieldSize: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    learningRate: z.number().positive(),
    seed: z.number().int().nonnegative(),
    segmentedFields: z.number().int().nonnegative(),
    /** Shard workers (cores) each training step ran on. */
    workers: z.number().int().positive(),
    fullScale: z.boolean(),
  }),
  backend: z.object({ name: z.string(), reason: z.string(), threads: z.number().int().positive() }),
  learningCurve: z.array(
    z.object({
      epoch: z.number().int().positive(),
      trainLoss: loss,
      trainAccuracy: unit,
      valLoss: loss.nullable(),
      valAccuracy: unit.nullable(),
      learningRate: z.number().nonnegative(),
      seconds: z.number().nonnegative(),
    }),
  ),
  bestEpoch: z.number().int().positive().nullable(),
  test: z.object({
    /** Mean over the ten classes of the per-class accuracy at 0.5: the paper's measure. */
    accuracy: unit,
    /** Fields whose ten present/absent calls are all right. */
    exactMatch: unit,
    meanF1: unit,
    /** Each class answered with its majority in the training fields: what the label prior alone scores. */
    majorityBaselineAccuracy: unit,
    perClassAccuracy: z.array(unit).length(10),
  }),
  segmentation: z.object({
    /** (field, present digit class) pairs segmented. */
    pairs: z.number().int().nonnegative(),
    precise: MapScoresSchema,
    coarse: MapScoresSchema,
    preciseBetterThanCoarse: z.boolean().nullable(),
  }),
  timing: z.object({
    trainSeconds: z.number().nonnegative(),
    evaluationSeconds: z.number().nonnegative(),
    resumedFromEpoch: z.number().int().nonnegative().nullable(),
    /** Training crops per second, validation passes excluded, at this field size. */
    trainCropsPerSecond: z.number().nonnegative(),
    /** CPU time of this session, every thread (on a shared machine, wall time counts others' work too). */
    cpuSeconds: z.number().nonnegative(),
    trainCpuSecondsPerCrop: z.number().nonnegative().nullable(),
  }),
  fullScaleEstimate: z.object({
    epochs: z.number().int().positive(),
    seconds: z.number().nonnegative(),
    /** Wall-clock hours at this run's speed (this machine, as loaded as it was). */
    hours: z.number().nonnegative(),
    /** CPU hours at this run's CPU cost per field (null when this session trained no step). */
    cpuHours: z.number().nonnegative().nullable(),
    basis: z.string(),
  }),
});
export type DigitsReport = z.infer<typeof DigitsReportSchema>;
export type MapScores = z.infer<typeof MapScoresSchema>;
