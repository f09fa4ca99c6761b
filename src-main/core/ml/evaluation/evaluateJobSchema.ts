// Parameters and result of the 'evaluate' job (classification accuracy and PR curves of a model
// on one split of the project's labelled crops). No TensorFlow.js here: main imports it.
import { z } from 'zod';
import { ClassEvaluationSchema } from '../../../api/channels/trainingChannels';
import { DatasetSpecSchema, SplitSchema } from '../dataset/datasetSpec';

export const EvaluateParamsSchema = z.object({
  projectDir: z.string().min(1),
  modelManifest: z.string().min(1),
  dataset: DatasetSpecSchema,
  split: SplitSchema,
});
export type EvaluateParams = z.infer<typeof EvaluateParamsSchema>;

export const EvaluateResultSchema = z.object({
  classes: z.array(ClassEvaluationSchema),
  meanAccuracy: z.number(),
});
export type EvaluateResult = z.infer<typeof EvaluateResultSchema>;
