// Sweep and expert review. All coordinates are level-0 (full-resolution) image
// pixels; boxes are [x, y, width, height] with x, y the top-left pixel. Masks travel as
// row-major run lengths over their box (MaskRle: alternating 0-runs and 1-runs, first run of
// zeros, possibly 0).
//
// The flow the review UI drives:
//   sweep.start → job.updated (progress, ETA) + review.suggestions (suggestions as found,
//   merged across crop borders: added / updated / removed) + sweep.crops (heat-map cells);
//   review.queue (order 'score' or 'spatial') → for each item: fly to `item.box` with context,
//   draw `item.mask`; review.decide (accept / decline / later, with the rectangle the viewer
//   showed, and an adjusted box/mask when the expert edited it) — the decision is in the log
//   when the response arrives; review.undo (Z); review.addRegion (N + click); review.stats.
import { z } from 'zod';
import { ImageIdSchema, JobIdSchema } from '../entities';

export const MaskRleSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  counts: z.array(z.number().int().nonnegative()),
});

/** [x, y, width, height], level-0 pixels. */
export const BoxSchema = z.tuple([
  z.number().int().nonnegative(),
  z.number().int().nonnegative(),
  z.number().int().positive(),
  z.number().int().positive(),
]);

export const RectSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});

export const ReviewStateSchema = z.enum(['pending', 'accepted', 'declined', 'later']);

export const ReviewItemSchema = z.object({
  /** 'suggestion': found by a sweep; 'annotation': a region the expert added (N + click). */
  kind: z.enum(['suggestion', 'annotation']),
  id: z.number().int().positive(),
  imageId: ImageIdSchema,
  classId: z.number().int().positive(),
  modelId: z.number().int().positive().nullable(),
  runId: z.number().int().positive().nullable(),
  /** The box in effect: the adjusted one once accepted with an adjustment. */
  box: BoxSchema,
  /** Class probability of the crop(s) that found it. */
  score: z.number().min(0).max(1).nullable(),
  /** Mask pixels (box area when there is no mask). */
  area: z.number().int().nonnegative(),
  mask: MaskRleSchema.nullable(),
  state: ReviewStateSchema,
  /** The decision that sets the state; null while pending with no decision in effect. */
  decisionId: z.number().int().positive().nullable(),
});

/**
 * How a sweep cuts a region's mask: 'object' measures each object on a crop centred on it with a
 * threshold that follows the object (areas are measurements, the default); 'reference' is the
 * paper's EM mask (a fixed share of the grid crop), kept where fidelity to the paper is the point.
 */
export const MaskMethodSchema = z.enum(['object', 'reference']);

/** Something about a run's image or results unlike the model's training data. */
export const SweepWarningSchema = z.object({
  kind: z.enum(['bitDepth', 'intensity', 'positiveRate']),
  message: z.string(),
});

export const SweepRunSchema = z.object({
  id: z.number().int().positive(),
  imageId: ImageIdSchema,
  modelId: z.number().int().positive(),
  classId: z.number().int().positive(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  jobId: JobIdSchema.nullable(),
  cropSize: z.number().int().positive(),
  stride: z.number().int().positive(),
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  cropsDone: z.number().int().nonnegative(),
  suggestions: z.number().int().nonnegative(),
  maskMethod: MaskMethodSchema,
  /** The run screened its crops with the model's distilled screen first (issue #19). */
  screen: z.boolean(),
  /** Why the run could not use the model's screen (its files damaged or gone): its crops went through the full model. */
  screenNotice: z.string().nullable(),
  /** The image or the results look unlike the model's training data: the suggestions may not be trusted. */
  warnings: z.array(SweepWarningSchema),
  error: z.string().nullable(),
});

export const HeatmapSchema = z.object({
  runId: z.number().int().positive(),
  imageId: ImageIdSchema,
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  cropSize: z.number().int().positive(),
  /** Left edges of the columns and top edges of the rows (the last one is shifted to the border). */
  xs: z.array(z.number().int().nonnegative()),
  ys: z.array(z.number().int().nonnegative()),
  /** Row-major, cols × rows: the crop's probability, -1 = background (skipped), null = not swept yet. */
  scores: z.array(z.number().nullable()),
});

export const ReviewStatsSchema = z.object({
  imageId: ImageIdSchema,
  total: z.number().int().nonnegative(),
  reviewed: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  declined: z.number().int().nonnegative(),
  later: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  /** Regions the expert added by hand (in effect). */
  added: z.number().int().nonnegative(),
  /** Area of the union of the rectangles the viewer showed with each decision, px². */
  shownArea: z.number().nonnegative(),
  shownFraction: z.number().min(0).max(1),
});

const SweepModelChoiceSchema = z
  .object({
    /** A model of the project. */
    modelId: z.number().int().positive().optional(),
    /** Which output of the model to sweep for (default 0). */
    classIndex: z.number().int().nonnegative().optional(),
  })
  .strict();

export const reviewRequests = {
  /** Queues one sweep run per image (run one after another); progress arrives as job.updated. */
  'sweep.start': {
    params: SweepModelChoiceSchema.extend({
      imageIds: z.array(ImageIdSchema).min(1).max(10_000).optional(),
      all: z.boolean().optional(),
      /** Default: the crop size (non-overlapping). */
      stride: z.number().int().positive().optional(),
      maskMethod: MaskMethodSchema.optional(),
      /** false: no screen for these runs. Default: the project's setting (sweep.screen). */
      screen: z.boolean().optional(),
    }).strict(),
    result: z.array(SweepRunSchema),
  },
  /**
   * The project's setting "screen crops first" (on by default): with `enabled`, sets it. Answers
   * the setting and whether the model a sweep would use now has a distilled screen.
   */
  'sweep.screen': {
    params: z.object({ enabled: z.boolean().optional() }).strict(),
    result: z.object({ enabled: z.boolean(), modelHasScreen: z.boolean() }),
  },
  /** Continues a failed or cancelled run from the crops it finished. */
  'sweep.resume': { params: z.object({ runId: z.number().int().positive() }).strict(), result: SweepRunSchema },
  'sweep.cancel': { params: z.object({ runId: z.number().int().positive() }).strict(), result: z.object({ cancelled: z.boolean() }) },
  'sweep.runs': { params: z.object({ imageId: ImageIdSchema }).strict(), result: z.array(SweepRunSchema) },
  'sweep.heatmap': { params: z.object({ runId: z.number().int().positive() }).strict(), result: HeatmapSchema },
  /** Every suggestion and added region of the image with its state, in review order. */
  'review.queue': {
    params: z
      .object({
        imageId: ImageIdSchema,
        order: z.enum(['score', 'spatial']).default('score'),
        /** Only these states (default: all). */
        states: z.array(ReviewStateSchema).optional(),
        runId: z.number().int().positive().optional(),
        /** Blinded review: states as this reviewer's own decisions leave them, others' unseen. */
        blindedFor: z.string().min(1).max(200).optional(),
      })
      .strict(),
    result: z.array(ReviewItemSchema),
  },
  'review.decide': {
    params: z
      .object({
        suggestionId: z.number().int().positive(),
        action: z.enum(['accept', 'decline', 'later']),
        /** The image rectangle the viewer showed when the expert decided (for the shown-area stat). */
        shownRect: RectSchema.nullable(),
        /** Adjusted geometry (accept only): a box, and optionally a mask over that box. */
        box: BoxSchema.optional(),
        mask: MaskRleSchema.optional(),
        actor: z.string().min(1).max(200).optional(),
      })
      .strict(),
    result: ReviewItemSchema,
  },
  /** Undoes `decisionId`, or else the newest decision in effect on the image (Z). */
  'review.undo': {
    params: z
      .object({
        imageId: ImageIdSchema,
        decisionId: z.number().int().positive().optional(),
        actor: z.string().min(1).max(200).optional(),
        /** Blinded review: only this reviewer's decisions are undone, and the item comes back as they see it. */
        blindedFor: z.string().min(1).max(200).optional(),
      })
      .strict(),
    result: z.object({ undoneDecisionId: z.number().int().positive().nullable(), item: ReviewItemSchema.nullable() }),
  },
  /** N + click: the model's mask around the point, stored as an accepted, expert-added region. */
  'review.addRegion': {
    params: SweepModelChoiceSchema.extend({
      imageId: ImageIdSchema,
      x: z.number().int().nonnegative(),
      y: z.number().int().nonnegative(),
      shownRect: RectSchema.nullable(),
      actor: z.string().min(1).max(200).optional(),
    }).strict(),
    result: ReviewItemSchema,
  },
  'review.stats': {
    params: z
      .object({
        imageId: ImageIdSchema,
        /** Blinded review: counted from this reviewer's own decisions (and the area shown to them) only. */
        blindedFor: z.string().min(1).max(200).optional(),
      })
      .strict(),
    result: ReviewStatsSchema,
  },
} as const;

export const reviewEvents = {
  /** Suggestions stored as a sweep advances; `updated` ones grew by merging, `removed` were merged away. */
  'review.suggestions': z.object({
    imageId: ImageIdSchema,
    runId: z.number().int().positive(),
    added: z.array(ReviewItemSchema),
    updated: z.array(ReviewItemSchema),
    removed: z.array(z.number().int().positive()),
  }),
  /** Heat-map cells as crops finish: score -1 = background. */
  'sweep.crops': z.object({
    imageId: ImageIdSchema,
    runId: z.number().int().positive(),
    crops: z.array(z.object({ col: z.number().int().nonnegative(), row: z.number().int().nonnegative(), score: z.number() })),
  }),
  /** A run changed state (queued → running → done / failed / cancelled). */
  'sweep.run': SweepRunSchema,
  /** Any decision on the image (another window may be reviewing the same image). */
  'review.changed': z.object({ imageId: ImageIdSchema, item: ReviewItemSchema.nullable() }),
} as const;
