// The schema of an image's geometry (src-shared/imageGeometry.ts, the one type main and the
// renderer share), which checks it when it crosses to the compute process in a job's params: for
// the region reader, sweeps, the background test, the dataset and crop scores. Rows of the images
// table become one with imageGeometry (core/project/imageSummary.ts).
import { z } from 'zod';
import type { ImageGeometry } from '../../../src-shared/imageGeometry';

export const ImageGeometrySchema = z.object({
  id: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bitsPerSample: z.union([z.literal(8), z.literal(16)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  tileSize: z.number().int().positive(),
  /** Levels of its pyramid (src-shared/pyramidGeometry.ts gives their sizes). */
  levels: z.number().int().positive(),
}) satisfies z.ZodType<ImageGeometry>;
