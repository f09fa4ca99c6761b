// Annotation sets and evaluation against them (issue 15): named layers of annotations brought in
// from other tools (a marker CSV, QuPath GeoJSON), training crops made from their markers, and a
// sweep run scored against a set. Every request runs the same core as `micra annotations …`
// and `micra evaluate-detections` (core/annotations/sets, core/evaluation).
//
// An import carries the file's text, not a path: a serve-mode browser has only the content,
// and Electron sends the same so one code path reads both. The text is capped (a marker file is
// kilobytes; a QuPath export of a whole slide a few megabytes); the serve socket's message limit
// is derived from the cap (server/apiSocket.ts).
import { z } from 'zod';
import { ANNOTATION_TEXT_MAX_CHARS } from '../../../src-shared/annotationFiles';
import { ImageIdSchema } from '../entities';

export { ANNOTATION_TEXT_MAX_CHARS };

const SetName = z.string().min(1).max(100);
const Actor = z.string().min(1).max(200).optional();
const Count = z.number().int().nonnegative();
const Fraction = z.number().min(0).max(1);

const Position = z.array(z.number().finite()).min(2).max(3);
const Ring = z.array(Position);

/** GeoJSON geometry of a set entry, level-0 image pixels (core/annotations/sets/setGeometry.ts). */
export const SetGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: Position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(Position) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(Position) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) }),
]);

export const AnnotationSetSummarySchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** Per image: entries in all and by geometry type. */
  images: z.array(z.object({ imageId: ImageIdSchema, entries: Count, byGeometry: z.record(z.string(), Count) })),
});

export const SetEntrySchema = z.object({
  id: z.number().int().positive(),
  geometry: SetGeometrySchema,
  className: z.string().nullable(),
});

export const ImportAnnotationsResultSchema = z.object({
  set: z.string(),
  setId: z.number().int().positive(),
  imageId: ImageIdSchema,
  importId: z.number().int().positive(),
  format: z.enum(['csv', 'geojson']),
  units: z.enum(['px', 'um']),
  imported: Count,
  markers: Count,
  byGeometry: z.record(z.string(), Count),
  byClass: z.record(z.string(), Count),
});

export const MarkerCropsResultSchema = z.object({
  set: z.string(),
  imageId: ImageIdSchema,
  classId: z.number().int().positive(),
  className: z.string(),
  cropSize: z.number().int().positive(),
  ratio: z.number().nonnegative(),
  seed: Count,
  markers: Count,
  positives: Count,
  negatives: Count,
  negativesAvailable: Count,
  alreadyMade: Count,
  alreadyLabelled: Count,
});

export const CurvePointSchema = z.object({
  threshold: Fraction,
  candidates: Count,
  recall: Fraction,
  precision: Fraction,
  shownFraction: Fraction,
});

/** `micra evaluate-detections`'s JSON line: a set against a sweep run, or against another set. */
export const DetectionEvaluationSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('run'),
    imageId: ImageIdSchema,
    truthSet: z.string(),
    runId: z.number().int().positive(),
    modelId: z.number().int().positive(),
    runThreshold: Fraction,
    threshold: Fraction,
    truth: Count,
    candidates: Count,
    found: Count,
    correct: Count,
    recall: Fraction,
    precision: Fraction,
    f1: Fraction,
    shownFraction: Fraction,
    curve: z.array(CurvePointSchema),
  }),
  z.object({
    mode: z.literal('set'),
    imageId: ImageIdSchema,
    truthSet: z.string(),
    againstSet: z.string(),
    matchDistance: z.number().positive(),
    truth: Count,
    candidates: Count,
    matched: Count,
    recall: Fraction,
    precision: Fraction,
    f1: Fraction,
    meanDistance: z.number().nonnegative().nullable(),
    shownFraction: z.null(),
    curve: z.null(),
  }),
]);

export const annotationSetRequests = {
  /** Every set of the project with its per-image counts. */
  'annotationSets.list': { params: z.object({}).strict(), result: z.object({ sets: z.array(AnnotationSetSummarySchema) }) },
  /** One set's entries on one image, for drawing (import order, then file order). */
  'annotationSets.entries': {
    params: z.object({ imageId: ImageIdSchema, set: SetName }).strict(),
    result: z.object({ set: z.string(), entries: z.array(SetEntrySchema) }),
  },
  /** A CSV or GeoJSON file's text onto one image into a named set (created when new); all or nothing. */
  'annotationSets.import': {
    params: z
      .object({
        imageId: ImageIdSchema,
        set: SetName,
        /** The file's name: its extension says the format (.csv/.tsv/.txt, .geojson/.json). */
        fileName: z.string().min(1).max(255),
        text: z.string().max(ANNOTATION_TEXT_MAX_CHARS),
        units: z.enum(['px', 'um']).default('px'),
        actor: Actor,
      })
      .strict(),
    result: ImportAnnotationsResultSchema,
  },
  /** One set's entries on one image as a file's content, for the renderer to save. */
  'annotationSets.export': {
    params: z.object({ imageId: ImageIdSchema, set: SetName, format: z.enum(['csv', 'geojson']) }).strict(),
    result: z.object({ fileName: z.string(), contentType: z.string(), text: z.string(), entries: Count, markers: Count }),
  },
  /** Labelled training crops from a set's markers (the paper's recipe, core markerCrops). */
  'annotationSets.toCrops': {
    params: z
      .object({
        imageId: ImageIdSchema,
        set: SetName,
        /** Negatives per positive (1:ratio). */
        ratio: z.number().min(0).max(100),
        seed: z.number().int().nonnegative().max(2 ** 31).optional(),
        /** Default: the crop size training uses. */
        cropSize: z.number().int().positive().max(4096).optional(),
        className: z.string().min(1).max(100).optional(),
        actor: Actor,
      })
      .strict(),
    result: MarkerCropsResultSchema,
  },
  /** A set as the truth against a sweep run (default: the image's latest finished one) or another set. */
  'evaluation.detections': {
    params: z
      .object({
        imageId: ImageIdSchema,
        truth: SetName,
        runId: z.number().int().positive().optional(),
        threshold: Fraction.optional(),
        against: SetName.optional(),
      })
      .strict(),
    result: DetectionEvaluationSchema,
  },
} as const;

export const annotationSetEvents = {
  /** A set gained entries on the image (an import from this or another window). */
  'annotationSets.changed': z.object({ imageId: ImageIdSchema, set: z.string() }),
} as const;
