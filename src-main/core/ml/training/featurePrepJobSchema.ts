// Parameters and result of the 'prepareFeatures' job (featurePrepJob.ts): validated in the
// compute process before the job runs, by its worker thread, and by main on the result. Kept
// apart from the job so main loads no TensorFlow.js.
import { z } from 'zod';
import { BACKEND_NAMES } from '../backendInfo';
import { DatasetSpecSchema } from '../dataset/datasetSpec';
import { FineTuneModeSchema } from './trainJobSchema';

export const FeaturePrepParamsSchema = z.object({
  projectDir: z.string().min(1),
  /** The dataset the next retrain will build (buildDataset), so the same crops, unlabelled draw included. */
  dataset: DatasetSpecSchema,
  /** Modes with frozen blocks whose features the retrain reads (one namespace each). */
  modes: z.array(FineTuneModeSchema.exclude(['all'])).min(1).max(3),
  /** The base model's manifest: its frozen blocks and preprocessing. */
  parentManifest: z.string().min(1),
  /** The retrain's seed and augmentation: they choose each crop's variants. */
  seed: z.number().int().nonnegative(),
  augment: z.boolean(),
  backend: z.enum(BACKEND_NAMES).optional(),
  featureStoreBytes: z.number().int().nonnegative().optional(),
});
export type FeaturePrepParams = z.infer<typeof FeaturePrepParamsSchema>;

export const FeaturePrepResultSchema = z.object({
  /** Crops looked at (training and validation, per mode). */
  crops: z.number().int().nonnegative(),
  /** Crops that had features missing at the start, over all modes. */
  newCrops: z.number().int().nonnegative(),
  /** Feature entries computed and stored. */
  computed: z.number().int().nonnegative(),
  /** Crops read and hashed, over all modes (the others' digests came from the crop digest memo). */
  hashed: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
});
export type FeaturePrepResult = z.infer<typeof FeaturePrepResultSchema>;

