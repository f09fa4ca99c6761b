// The project overview: one row per image with its size, pixel size, latest sweep
// (model, status, crops done), review counts and the total area of its accepted objects. The
// image list shows part of each row; the overview table all of it, and exports it as CSV
// through the ordinary export (format 'overview-csv').
import { z } from 'zod';
import { ImageIdSchema, ImageStatusSchema } from '../entities';

const Count = z.number().int().nonnegative();

export const ImageOverviewSchema = z.object({
  imageId: ImageIdSchema,
  name: z.string(),
  status: ImageStatusSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  pixelSizeNm: z.number().positive().nullable(),
  /** The newest sweep run of the image; null when it was never swept. */
  sweep: z
    .object({
      runId: z.number().int().positive(),
      status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
      modelId: z.number().int().positive(),
      /** Null when the model is no longer in the project. */
      modelName: z.string().nullable(),
      cropsDone: Count,
      cropsTotal: Count,
    })
    .nullable(),
  /** The image's task in the newest cluster plan holding it (`micra batch plan`); null when none. */
  cluster: z
    .object({
      planId: z.string().min(1).max(200),
      jobDir: z.string().max(4096),
      taskIndex: Count,
      /** The sweep run the task was collected into; null until collected. */
      collectedRunId: z.number().int().positive().nullable(),
      collectedAt: z.string().nullable(),
    })
    .nullable(),
  suggestions: Count,
  /** Accepted or declined. */
  reviewed: Count,
  accepted: Count,
  declined: Count,
  later: Count,
  pending: Count,
  /** Regions the expert added by hand. */
  added: Count,
  /** Accepted suggestions and added regions, level-0 px². */
  acceptedAreaPx: Count,
  /** Null when the pixel size is unknown. */
  acceptedAreaUm2: z.number().nonnegative().nullable(),
});

export const overviewRequests = {
  'images.overview': {
    params: z.object({ imageIds: z.array(ImageIdSchema).max(10_000).optional() }).strict(),
    result: z.array(ImageOverviewSchema),
  },
} as const;

export const overviewEvents = {} as const;
