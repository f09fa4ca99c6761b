// The dataset a training job trains on, as main hands it to the compute process: every crop
// with its per-class targets and weights, its split and where it came from, plus the
// unlabelled candidates the job samples negatives from (the positive : unlabelled ratio).
// Main builds it from the database (buildDataset.ts); the job reads the pixels.
import { z } from 'zod';
import { ImageGeometrySchema } from '../../imaging/imageGeometry';
import type { ImageGeometry } from '../../../../src-shared/imageGeometry';

export const SplitSchema = z.enum(['train', 'validation', 'test']);

/** The images its crops come from (the one image geometry, imaging/imageGeometry.ts). */
export const DatasetImageSchema = ImageGeometrySchema;
export type DatasetImage = ImageGeometry;

export const DatasetItemSchema = z.object({
  imageId: z.number().int().positive(),
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  /** One 0/1 target per class (in the spec's class order). */
  targets: z.array(z.number().min(0).max(1)),
  /** One 0/1 weight per class: 0 = unknown for that class (skip, never asked). */
  weights: z.array(z.number().min(0).max(1)),
  split: SplitSchema,
  source: z.enum(['label', 'review']),
  /** The crop or suggestion row it came from. */
  sourceId: z.number().int().positive(),
});
export type DatasetItem = z.infer<typeof DatasetItemSchema>;

export const DatasetSpecSchema = z.object({
  classes: z.array(z.object({ id: z.number().int().positive(), name: z.string() })).min(1),
  cropSize: z.number().int().positive(),
  images: z.array(DatasetImageSchema),
  items: z.array(DatasetItemSchema),
  /** Grid crops of training images never labelled: sampled as negatives for every class. */
  unlabelled: z.object({
    /** Unlabelled crops drawn per positive training crop (1:ratio). 0 disables. */
    ratio: z.number().nonnegative(),
    candidates: z.array(z.object({ imageId: z.number().int().positive(), x: z.number().int().nonnegative(), y: z.number().int().nonnegative() })),
  }),
});
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;
