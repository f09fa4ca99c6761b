// Crop labelling, dataset curation, training, models and evaluation.
//
// The flow the labelling view drives: classes.list (create with classes.create) →
// crops.grid {imageId, cropSize, offset, limit, hideBackground} pages through the image's crops
// (non-overlapping grid of the model's input size, level-0 pixels; a last row/column is shifted
// to end at the image edge) with each crop's current labels → one key per decision:
// crops.label {…, classId, value} (the decision is in the log when the response arrives; the
// response carries the running counts per class) → crops.undo reverts the latest label
// decision still in effect.
// The training panel: dataset.stats / dataset.setSplit (splits are by image) →
// training.start → 'job.updated' (progress, ETA) + 'training.epoch' (one per epoch: train/val
// loss and accuracy, learning rate) → 'models.changed' when the model is ready or failed;
// training.history replays the epochs; jobs.cancel stops it within a step (the job says
// `cancelling` until it has ended; the best checkpoint so far is kept as the model);
// training.resume continues a failed/cancelled/interrupted run from its last
// checkpoint. training.baseModels lists what a run may start from (the bundled default, the
// project's trained and imported models, each with its classes, provenance and how its classes
// meet the project's); training.start takes one as `base` (or, as before, `baseModelId`). Models list: models.list / models.setActive / models.export / models.import /
// models.setThreshold; evaluation.run scores a model on a split (accuracy, PR curve, suggested
// threshold).
import { z } from 'zod';
import { ImageIdSchema, JobIdSchema } from '../entities';
import { BaseModelChoiceSchema, BaseModelOfferSchema } from './baseModelSchemas';
import { NoParams } from './noParams';

export const ClassIdSchema = z.number().int().positive();
export const ModelIdSchema = z.number().int().positive();
export const LabelValueSchema = z.enum(['present', 'absent', 'skip']);
export const DatasetSplitSchema = z.enum(['train', 'validation', 'test']);
export const FineTuneModeSchema = z.enum(['all', 'linear', 'linear+4', 'linear+3-4']);
const Actor = z.string().min(1).max(100).optional();

export const ClassSummarySchema = z.object({
  id: ClassIdSchema,
  name: z.string(),
  color: z.string(),
  position: z.number().int(),
});

export const CropLabelSchema = z.object({ classId: ClassIdSchema, value: LabelValueSchema });

export const GridCropSchema = z.object({
  /** null until the crop is first labelled (crops rows are created on demand). */
  cropId: z.number().int().positive().nullable(),
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  size: z.number().int().positive(),
  /** Index in the full grid (row-major), stable across pages. */
  index: z.number().int().nonnegative(),
  labels: z.array(CropLabelSchema),
  /** The ordering model's score (null: background); present only on a page ordered by the model. */
  score: z.number().min(0).max(1).nullable().optional(),
});

/** Active labelling: the grid's own order, likely positives first, or most uncertain first (core/ml/dataset/cropOrder.ts). */
export const CropOrderSchema = z.enum(['raster', 'likely', 'uncertain']);

export const LabelCountsSchema = z.array(
  z.object({ classId: ClassIdSchema, present: z.number().int(), absent: z.number().int(), skip: z.number().int() }),
);

const ClassSplitStatsSchema = z.object({
  present: z.number().int(),
  absent: z.number().int(),
  skip: z.number().int(),
  reviewAccepted: z.number().int(),
  reviewDeclined: z.number().int(),
});

export const DatasetStatsSchema = z.object({
  cropSize: z.number().int().positive(),
  classes: z.array(
    z.object({
      id: ClassIdSchema,
      name: z.string(),
      splits: z.object({ train: ClassSplitStatsSchema, validation: ClassSplitStatsSchema, test: ClassSplitStatsSchema }),
    }),
  ),
  images: z.object({ train: z.array(ImageIdSchema), validation: z.array(ImageIdSchema), test: z.array(ImageIdSchema) }),
  otherSizeCrops: z.number().int(),
  unlabelledCandidates: z.number().int(),
});

export const EpochSchema = z.object({
  epoch: z.number().int().positive(),
  trainLoss: z.number(),
  trainAccuracy: z.number(),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  learningRate: z.number(),
  seconds: z.number(),
  best: z.boolean(),
});

export const ModelSummarySchema = z.object({
  id: ModelIdSchema,
  name: z.string(),
  parentId: ModelIdSchema.nullable(),
  origin: z.enum(['bundled', 'trained', 'imported']),
  status: z.enum(['training', 'ready', 'failed']),
  /** The model card (classes, inputSize, preprocessing, classThresholds, provenance) as stored. */
  card: z.record(z.string(), z.unknown()),
  datasetSnapshot: z.unknown(),
  metrics: z.unknown(),
  createdAt: z.string(),
  active: z.boolean(),
  /** How the last training run ended (null: never trained here, or still running). */
  trainingOutcome: z.enum(['completed', 'stopped-early', 'cancelled', 'failed', 'interrupted']).nullable(),
  /** A failed/cancelled/interrupted run with a checkpoint can be resumed. */
  resumable: z.boolean(),
});

export const PrPointSchema = z.object({
  threshold: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  tp: z.number().int(),
  fp: z.number().int(),
  fn: z.number().int(),
});

export const ClassEvaluationSchema = z.object({
  classIndex: z.number().int().nonnegative(),
  className: z.string(),
  samples: z.number().int(),
  positives: z.number().int(),
  threshold: z.number(),
  accuracy: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  averagePrecision: z.number().nullable(),
  curve: z.array(PrPointSchema),
  suggestedThreshold: z.number().nullable(),
});

export const EvaluationResultSchema = z.object({
  modelId: ModelIdSchema,
  split: DatasetSplitSchema,
  jobId: JobIdSchema,
  classes: z.array(ClassEvaluationSchema),
  meanAccuracy: z.number(),
});

export const trainingRequests = {
  'classes.list': { params: NoParams, result: z.array(ClassSummarySchema) },
  'classes.create': {
    params: z.object({ name: z.string().trim().min(1).max(100), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional() }).strict(),
    result: ClassSummarySchema,
  },
  'crops.grid': {
    params: z
      .object({
        imageId: ImageIdSchema,
        cropSize: z.number().int().min(8).max(4096),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().positive().max(500).default(100),
        hideBackground: z.boolean().default(true),
        /** Not 'raster': by the active model's cached scores (crops.score computes them); raster until they exist. */
        order: CropOrderSchema.default('raster'),
      })
      .strict(),
    result: z.object({
      total: z.number().int().nonnegative(),
      hidden: z.number().int().nonnegative(),
      crops: z.array(GridCropSchema),
      /** The order applied, and the model whose scores gave it (null for raster). */
      order: CropOrderSchema.optional(),
      orderModelId: z.number().int().positive().nullable().optional(),
    }),
  },
  /** The active model's scores of an image's grid, for active labelling: cached, or a 'cropScores' job started. */
  'crops.score': {
    params: z.object({ imageId: ImageIdSchema, cropSize: z.number().int().min(8).max(4096) }).strict(),
    result: z.object({ modelId: z.number().int().positive(), cached: z.boolean(), jobId: z.number().int().positive().nullable() }),
  },
  'crops.label': {
    params: z
      .object({
        imageId: ImageIdSchema,
        x: z.number().int().nonnegative(),
        y: z.number().int().nonnegative(),
        size: z.number().int().positive(),
        classId: ClassIdSchema,
        value: LabelValueSchema,
        actor: Actor,
      })
      .strict(),
    result: z.object({ decisionId: z.number().int().positive(), cropId: z.number().int().positive(), counts: LabelCountsSchema }),
  },
  'crops.undo': {
    params: z.object({ actor: Actor }).strict(),
    result: z.object({ undoneDecisionId: z.number().int().positive().nullable(), cropId: z.number().int().positive().nullable(), counts: LabelCountsSchema }),
  },
  'dataset.stats': {
    params: z.object({ cropSize: z.number().int().positive().default(256), puRatio: z.number().nonnegative().default(0) }).strict(),
    result: DatasetStatsSchema,
  },
  'dataset.setSplit': {
    params: z.object({ imageId: ImageIdSchema, split: DatasetSplitSchema.nullable() }).strict(),
    result: z.object({ imageId: ImageIdSchema, split: DatasetSplitSchema }),
  },
  'training.start': {
    params: z
      .object({
        mode: FineTuneModeSchema.default('all'),
        epochs: z.number().int().positive().max(1000),
        /** Unlabelled crops per positive (1:puRatio); the paper found 5–16 best for sparse markers. */
        puRatio: z.number().nonnegative().max(64).default(5),
        /** Same as base {kind: 'model', id}; kept for older callers. Not together with `base`. */
        baseModelId: ModelIdSchema.optional(),
        base: BaseModelChoiceSchema.optional(),
        learningRate: z.number().positive().max(1).optional(),
        batchSize: z.number().int().positive().max(256).optional(),
        seed: z.number().int().nonnegative().optional(),
        cropSize: z.number().int().min(8).max(4096).multipleOf(8).optional(),
        patience: z.number().int().nonnegative().optional(),
        name: z.string().min(1).max(200).optional(),
        /** Shard workers of data-parallel steps on the CPU backends; default: every core. */
        workers: z.number().int().positive().max(256).optional(),
      })
      .strict()
      .refine((p) => p.base === undefined || p.baseModelId === undefined, { message: 'give the base model as base or as baseModelId, not both' }),
    result: z.object({ jobId: JobIdSchema, modelId: ModelIdSchema }),
  },
  'training.baseModels': { params: NoParams, result: z.array(BaseModelOfferSchema) },
  'training.resume': { params: z.object({ modelId: ModelIdSchema }).strict(), result: z.object({ jobId: JobIdSchema, modelId: ModelIdSchema }) },
  'training.history': {
    params: z.object({ modelId: ModelIdSchema }).strict(),
    result: z.object({ modelId: ModelIdSchema, status: z.enum(['training', 'ready', 'failed']), epochs: z.array(EpochSchema) }),
  },
  'models.list': { params: NoParams, result: z.array(ModelSummarySchema) },
  'models.setActive': { params: z.object({ id: ModelIdSchema.nullable() }).strict(), result: z.object({ activeModelId: ModelIdSchema.nullable() }) },
  'models.export': { params: z.object({ id: ModelIdSchema, path: z.string().min(1) }).strict(), result: z.object({ path: z.string() }) },
  'models.import': {
    // path: a weights folder (or its manifest.json), or a model zoo of the original MICRA-Net code
    // (.hdf5), of which supervision ("1:5" or the group's name) and model pick one model.
    params: z
      .object({
        path: z.string().min(1),
        name: z.string().min(1).max(200).optional(),
        supervision: z.string().min(1).max(200).optional(),
        model: z.string().min(1).max(200).optional(),
      })
      .strict(),
    result: ModelSummarySchema,
  },
  'models.setThreshold': {
    params: z.object({ id: ModelIdSchema, classIndex: z.number().int().nonnegative(), threshold: z.number().min(0).max(1) }).strict(),
    result: ModelSummarySchema,
  },
  'evaluation.run': {
    params: z.object({ modelId: ModelIdSchema, split: DatasetSplitSchema.default('validation') }).strict(),
    result: EvaluationResultSchema,
  },
} as const;

export const trainingEvents = {
  'training.epoch': EpochSchema.extend({ modelId: ModelIdSchema, jobId: JobIdSchema }),
  'models.changed': z.object({ modelId: ModelIdSchema.nullable() }),
} as const;
