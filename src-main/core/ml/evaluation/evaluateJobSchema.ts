// Parameters and result of the 'evaluate' job (classification accuracy and PR curves of a model
// on one split of the project's labelled crops). No TensorFlow.js here: main imports it.
import { z } from 'zod';
import { DatasetSpecSchema, SplitSchema } from '../dataset/datasetSpec';

export const EvaluateParamsSchema = z.object({
  projectDir: z.string().min(1),
  modelManifest: z.string().min(1),
  dataset: DatasetSpecSchema,
  split: SplitSchema,
});
export type EvaluateParams = z.infer<typeof EvaluateParamsSchema>;

const PrPointSchema = z.object({
  threshold: z.number(),
  tp: z.number(),
  fp: z.number(),
  fn: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
});

export const EvaluateResultSchema = z.object({
  classes: z.array(
    z.object({
      classIndex: z.number().int().nonnegative(),
      className: z.string(),
      samples: z.number().int(),
      positives: z.number().int(),
      threshold: z.number(),
      accuracy: z.number(),
      precision: z.number(),
      recall: z.number(),
      f1: z.number(),
      averagePrecision: z.number().nullable(),
      curve: z.array(PrPointSchema),
      suggestedThreshold: z.number().nullable(),
    }),
  ),
  meanAccuracy: z.number(),
});
export type EvaluateResult = z.infer<typeof EvaluateResultSchema>;
