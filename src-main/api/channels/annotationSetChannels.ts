// Annotation sets and evaluation against them: named layers of annotations brought in
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

/** What deleting a set removes (entries, imports, on which images) and keeps (crop labels made from it). */
export const SetDeletionSchema = z.object({
  set: z.string(),
  setId: z.number().int().positive(),
  entries: Count,
  imports: Count,
  imageIds: z.array(ImageIdSchema),
  cropLabelsKept: Count,
});

const Rates = { recall: Fraction, precision: Fraction, f1: Fraction };

/** Every ordered pair of sets matched one to one within `matchDistance` on the images both annotate. */
export const AgreementTableSchema = z.object({
  matchDistance: z.number().positive(),
  imageId: ImageIdSchema.nullable(),
  sets: z.array(z.string()),
  pairs: z.array(z.object({ truthSet: z.string(), againstSet: z.string(), imageIds: z.array(ImageIdSchema), truth: Count, candidates: Count, matched: Count, ...Rates })),
  meanRecall: Fraction.nullable(),
});

const DetectionCounts = { truth: Count, candidates: Count, found: Count, correct: Count, ...Rates, shownFraction: Fraction };

/** A set against the latest finished sweep of every image it annotates, per image and summed. */
export const ProjectEvaluationSchema = z.object({
  mode: z.literal('project'),
  truthSet: z.string(),
  threshold: Fraction.nullable(),
  images: z.array(z.object({ imageId: ImageIdSchema, imageName: z.string(), runId: z.number().int().positive(), modelId: z.number().int().positive(), threshold: Fraction, ...DetectionCounts })),
  skipped: z.array(z.object({ imageId: ImageIdSchema, imageName: z.string(), reason: z.string() })),
  totals: z.object({ images: Count, ...DetectionCounts }),
  curve: z.array(CurvePointSchema),
});

/** Reviewers compared on the suggestions both judged, each by their own decisions (core/evaluation/reviewerAgreement.ts). */
export const ReviewerAgreementSchema = z.object({
  imageId: ImageIdSchema.nullable(),
  reviewers: z.array(z.object({ actor: z.string(), accepted: Count, declined: Count })),
  pairs: z.array(
    z.object({ a: z.string(), b: z.string(), both: Count, agree: Count, agreement: Fraction.nullable(), kappa: z.number().min(-1).max(1).nullable(), onlyA: Count, onlyB: Count }),
  ),
});

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
  /** What deleting a set would remove and keep, for the confirmation. */
  'annotationSets.deletePreview': { params: z.object({ set: SetName }).strict(), result: SetDeletionSchema },
  /** Deletes a set on every image; crop labels made from it stay (core/annotations/sets/deleteSet.ts). */
  'annotationSets.delete': {
    params: z.object({ set: SetName, actor: Actor }).strict(),
    result: SetDeletionSchema.extend({ deletedBy: z.string() }),
  },
  /** Pairwise agreement of the sets (all, or those named) on one image or on every image. */
  'evaluation.agreement': {
    params: z.object({ imageId: ImageIdSchema.optional(), sets: z.array(SetName).min(2).max(50).optional() }).strict(),
    result: AgreementTableSchema,
  },
  /** How far reviewers agree on the suggestions of one image or of every image. */
  'evaluation.reviewers': { params: z.object({ imageId: ImageIdSchema.optional() }).strict(), result: ReviewerAgreementSchema },
  /** A set as the truth on every image it annotates, each against its latest finished sweep run. */
  'evaluation.project': {
    params: z.object({ truth: SetName, threshold: Fraction.optional() }).strict(),
    result: ProjectEvaluationSchema,
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
  /** A set gained entries on the image (an import from this or another window), or was deleted. */
  'annotationSets.changed': z.object({ imageId: ImageIdSchema, set: z.string() }),
} as const;
