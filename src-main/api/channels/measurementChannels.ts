// Measurements and export. Every object of the project — each suggestion of a sweep
// and each region the expert added — with its decision and its measurements (level-0 pixels,
// and µm when the image's pixel size is known; core/metrics/objectMeasurements.ts says how each
// is computed), and per image and class the count and total area of the accepted ones.
//
// Exports: the same request is a save dialog in Electron (`export.save`) and a download in serve
// mode (GET /export?format=…&objects=…&image=…, with the per-launch token; EXPORT_PATH).
import { z } from 'zod';
import { ImageIdSchema } from '../entities';
import { BoxSchema } from './reviewChannels';

/** 'added': a region the expert added; the others are a suggestion's review state. */
export const ObjectDecisionSchema = z.enum(['pending', 'accepted', 'declined', 'later', 'added']);

const Um = z.number().nonnegative().nullable();

export const MeasuredObjectSchema = z.object({
  kind: z.enum(['suggestion', 'annotation']),
  id: z.number().int().positive(),
  imageId: ImageIdSchema,
  imageName: z.string(),
  classId: z.number().int().positive(),
  className: z.string(),
  score: z.number().min(0).max(1).nullable(),
  decision: ObjectDecisionSchema,
  /** Actor and ISO time of the decision in effect (null while a suggestion has none). */
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** Tight box of the mask pixels. */
  box: BoxSchema,
  areaPx: z.number().int().nonnegative(),
  areaUm2: Um,
  perimeterPx: z.number().nonnegative(),
  perimeterUm: Um,
  equivalentDiameterPx: z.number().nonnegative(),
  equivalentDiameterUm: Um,
  /** Mean of the pixel centres (pixel (x, y) covers [x, x+1) × [y, y+1)). */
  centroidX: z.number(),
  centroidY: z.number(),
  centroidXUm: z.number().nullable(),
  centroidYUm: z.number().nullable(),
});

export const ClassTotalsSchema = z.object({
  imageId: ImageIdSchema,
  imageName: z.string(),
  classId: z.number().int().positive(),
  className: z.string(),
  count: z.number().int().nonnegative(),
  totalAreaPx: z.number().int().nonnegative(),
  totalAreaUm2: Um,
});

/** 'overview-csv': one row per image (images.overview); the object choice does not apply to it. */
export const EXPORT_FORMATS = ['objects-csv', 'summary-csv', 'overview-csv', 'geojson', 'coco', 'masks'] as const;
/** Formats that describe one image (a QuPath GeoJSON, a label TIFF): an export needs `imageId`. */
export const PER_IMAGE_FORMATS: readonly ExportFormat[] = ['geojson', 'masks'];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportRequestSchema = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    /** Accepted objects and added regions only (default), or every object with its decision. */
    objects: z.enum(['accepted', 'all']).default('accepted'),
    /** One image; default every ready image (not possible for the per-image formats). */
    imageId: ImageIdSchema.optional(),
  })
  .strict()
  .refine((r) => r.imageId !== undefined || !PER_IMAGE_FORMATS.includes(r.format), { message: 'GeoJSON and label-mask exports are per image: give imageId' });

/** Serve mode's download route. */
export const EXPORT_PATH = '/export';

export const measurementRequests = {
  /** Every object of the project (or of some images), in image order, then review order. */
  'measurements.list': {
    params: z
      .object({
        imageIds: z.array(ImageIdSchema).max(10_000).optional(),
      })
      .strict(),
    result: z.object({
      objects: z.array(MeasuredObjectSchema),
      /** Per image and class: count and total area of the accepted objects (added regions included). */
      totals: z.array(ClassTotalsSchema),
    }),
  },
  /** Electron: asks where to save (a save dialog in main), then writes the export there. */
  'export.save': {
    params: ExportRequestSchema,
    result: z.object({
      /** False when the user cancelled the dialog. */
      saved: z.boolean(),
      path: z.string().nullable(),
      bytes: z.number().int().nonnegative(),
      objects: z.number().int().nonnegative(),
    }),
  },
} as const;

export const measurementEvents = {} as const;
