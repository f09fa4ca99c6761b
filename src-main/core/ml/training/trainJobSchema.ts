// Parameters and result of the 'train' job: validated in the compute process before the job
// runs, and by main on the result. Kept apart from the job so main loads no TensorFlow.js.
import { z } from 'zod';
// The backend names from the module without TensorFlow.js, so main does not load it.
import { BACKEND_NAMES } from '../backendInfo';
import { DatasetSpecSchema } from '../dataset/datasetSpec';
import { BaseModelProvenanceSchema, ModelCardSchema } from '../weights/modelCard';
import { EpochMetricsSchema } from './trainingProgress';

export const FineTuneModeSchema = z.enum(['all', 'linear', 'linear+4', 'linear+3-4']);

export const TrainParamsSchema = z.object({
  projectDir: z.string().min(1),
  modelId: z.number().int().positive(),
  /** Absolute folder of the model being trained (weights land here; checkpoints below it). */
  modelDir: z.string().min(1),
  dataset: DatasetSpecSchema,
  mode: FineTuneModeSchema,
  epochs: z.number().int().positive().max(1000),
  batchSize: z.number().int().positive().max(256),
  learningRate: z.number().positive().max(1),
  patience: z.number().int().nonnegative(),
  seed: z.number().int().nonnegative(),
  augment: z.boolean(),
  /** Manifest of the model to fine-tune from; null trains from scratch. */
  parentManifest: z.string().nullable(),
  parentModelId: z.number().int().positive().nullable(),
  /** What the model's card records about its base (null: from scratch, or a run from before bases were recorded). */
  base: BaseModelProvenanceSchema.nullable().default(null),
  resume: z.boolean(),
  backend: z.enum(BACKEND_NAMES).optional(),
  /** Shard workers of data-parallel steps on the CPU backends; default: every core. */
  workers: z.number().int().positive().max(256).optional(),
  /** Disk bound of the project's frozen-feature store (cache/features); default 2 GiB. */
  featureStoreBytes: z.number().int().nonnegative().optional(),
});
export type TrainParams = z.infer<typeof TrainParamsSchema>;

export const TrainResultSchema = z.object({
  modelId: z.number().int().positive(),
  history: z.array(EpochMetricsSchema),
  bestEpoch: z.number().int().positive().nullable(),
  stoppedEarly: z.boolean(),
  resumedFromEpoch: z.number().int().nonnegative().nullable(),
  steps: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  backend: z.string(),
  counts: z.object({ train: z.number(), validation: z.number(), test: z.number(), trainPositives: z.number(), unlabelledUsed: z.number() }),
  card: ModelCardSchema,
  metrics: z.record(z.string(), z.number()),
});
export type TrainResult = z.infer<typeof TrainResultSchema>;
