// Schemas of the things the MicraApi talks about (images, jobs, projects). The channels that
// carry them are in channels/.
import { z } from 'zod';

export const ImageIdSchema = z.number().int().positive();
export const JobIdSchema = z.number().int().positive();

export const ImageStatusSchema = z.enum(['importing', 'ready', 'failed']);

export const ImageSummarySchema = z.object({
  id: ImageIdSchema,
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bitsPerSample: z.union([z.literal(8), z.literal(16)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  tileSize: z.number().int().positive(),
  /** Size of every pyramid level, finest (level 0) first. */
  levelSizes: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])),
  pixelSizeNm: z.number().positive().nullable(),
  status: ImageStatusSchema,
  /** The original file, as given at import; the project works without it. */
  sourcePath: z.string(),
  sourceMissing: z.boolean(),
  notice: z.string().nullable(),
  createdAt: z.string(),
});

export const ProjectInfoSchema = z.object({
  dir: z.string(),
  name: z.string(),
  schemaVersion: z.number().int().nonnegative(),
});

export const JobKindSchema = z.enum(['import', 'tileStats', 'sweep', 'train', 'evaluate', 'prepareFeatures', 'cropScores', 'screenDistill']);
export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const JobSummarySchema = z.object({
  id: JobIdSchema,
  kind: JobKindSchema,
  status: JobStatusSchema,
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  message: z.string().nullable(),
  error: z.string().nullable(),
  imageId: ImageIdSchema.nullable(),
  /** True from the moment a cancel is asked for until the job has ended (live view only). */
  cancelling: z.boolean().optional(),
});

export const ImportOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), file: z.string(), image: ImageSummarySchema, duplicateOf: ImageIdSchema.nullable() }),
  z.object({ ok: z.literal(false), file: z.string(), error: z.string() }),
]);

export const TileStatsSchema = z.object({
  imageId: ImageIdSchema,
  level: z.number().int().nonnegative(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  /** 256 bins spanning the stored bit depth's full range. */
  histogram: z.array(z.number().int().nonnegative()),
});

export const AppInfoSchema = z.object({
  version: z.string(),
  /** Who runs the app: the Electron window, `micra serve` for a browser, or a one-shot `micra` command. */
  transport: z.enum(['electron', 'serve', 'cli']),
  project: ProjectInfoSchema.nullable(),
});
