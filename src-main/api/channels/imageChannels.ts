import { z } from 'zod';
import { ImageIdSchema, ImageSummarySchema, ImportOutcomeSchema, TileStatsSchema } from '../entities';
import { NoParams } from './noParams';

export const imageRequests = {
  'images.list': { params: NoParams, result: z.array(ImageSummarySchema) },
  'images.get': { params: z.object({ id: ImageIdSchema }).strict(), result: ImageSummarySchema },
  'images.importPaths': {
    params: z.object({ paths: z.array(z.string().min(1)).min(1).max(1000) }).strict(),
    result: z.array(ImportOutcomeSchema),
  },
  'images.tileStats': {
    params: z.object({ id: ImageIdSchema, level: z.number().int().nonnegative() }).strict(),
    result: TileStatsSchema,
  },
} as const;

export const imageEvents = {
  'images.changed': z.object({ imageId: ImageIdSchema.nullable() }),
} as const;
