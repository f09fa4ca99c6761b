import { z } from 'zod';
import { ImageIdSchema, ImageSummarySchema, ImportOutcomeSchema, TileStatsSchema } from '../entities';
import { NoParams } from './noParams';

/**
 * A page not imported because the project already holds the same pixels (importPaths with
 * skipDuplicates). Listed first: the plain failure below would also accept it, minus the id.
 */
export const SkippedDuplicateSchema = z.object({
  ok: z.literal(false),
  file: z.string(),
  error: z.string(),
  skippedDuplicateOf: ImageIdSchema,
  /** Which page (0-based among the file's image pages): importPaths `page` imports it anyway. */
  page: z.number().int().nonnegative(),
});

export const ImportPathOutcomeSchema = z.union([SkippedDuplicateSchema, ImportOutcomeSchema]);

/** Multi-page files: the first page only (the image's notice says so), or one image per page. */
export const PageChoiceSchema = z.enum(['first', 'each']);

const ImageRef = z.object({ id: ImageIdSchema }).strict();

export const imageRequests = {
  'images.list': { params: NoParams, result: z.array(ImageSummarySchema) },
  'images.get': { params: ImageRef, result: ImageSummarySchema },
  'images.importPaths': {
    params: z
      .object({
        paths: z.array(z.string().min(1)).min(1).max(1000),
        /** Default 'first'. */
        pages: PageChoiceSchema.optional(),
        /** Only this page (0-based among each file's image pages); overrides `pages`. */
        page: z.number().int().nonnegative().max(1_000_000).optional(),
        /**
         * Hash each page before building it and skip it when the project already holds the same
         * pixels. Without it, a duplicate is imported and its outcome names the image it repeats
         * (duplicateOf), which images.remove can undo.
         */
        skipDuplicates: z.boolean().optional(),
      })
      .strict(),
    result: z.array(ImportPathOutcomeSchema),
  },
  /** Removes the image, its tiles, its crops/suggestions/annotations and its uploaded copy. */
  'images.remove': { params: ImageRef, result: z.object({ removed: ImageIdSchema }) },
  /** The original moved: point the image at `path` once that file is shown to hold the same pixels. */
  'images.relink': {
    params: z.object({ id: ImageIdSchema, path: z.string().min(1) }).strict(),
    result: ImageSummarySchema,
  },
  /** Renames the image as shown in the list, exports and CSVs (the file it came from keeps its name). */
  'images.rename': {
    params: z.object({ id: ImageIdSchema, name: z.string().trim().min(1).max(500) }).strict(),
    result: ImageSummarySchema,
  },
  /** Edits the physical pixel size (nm per pixel); null: unknown. */
  'images.setPixelSize': {
    params: z.object({ id: ImageIdSchema, pixelSizeNm: z.number().positive().max(1e9).nullable() }).strict(),
    result: ImageSummarySchema,
  },
  'images.tileStats': {
    params: z.object({ id: ImageIdSchema, level: z.number().int().nonnegative() }).strict(),
    result: TileStatsSchema,
  },
} as const;

export const imageEvents = {
  'images.changed': z.object({ imageId: ImageIdSchema.nullable() }),
  /**
   * While an image's pyramid builds, each level as it is finished (coarsest first, level 0 last):
   * its tiles can be fetched from now on, so a viewer showing the image draws it coarse at once.
   */
  'images.levelReady': z.object({ imageId: ImageIdSchema, level: z.number().int().nonnegative(), levels: z.number().int().positive() }),
} as const;
