// The model card: what a user (and the sweep) needs to know to use a set of weights correctly.
// Stored under the `card` key of the weights manifest. Every field has a documented default,
// so a bare weights manifest (like the reference fixture's) still loads:
//   classes          → ["class 1", …] (one per output of the linear layer)
//   inputSize        → manifest.model.train_size, else 512 (the SEM crop size)
//   inChannels       → manifest.model.in_channels
//   preprocessing    → { invert: false, normalisation: { kind: 'none' } } (values used as read,
//                      i.e. already divided by the pixel type's maximum)
//   classThresholds  → 0.5 per class (on the sigmoid probability)
//   provenance       → all unknown (null), metrics {}
//   trainingData     → absent (unknown): the out-of-distribution checks that need it are skipped
//   screen           → absent (no sweep screen; one whose thresholds do not match the classes is dropped)
import { z } from 'zod';

export const NormalisationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** v' = v · scale + offset */
  z.object({ kind: z.literal('scale'), scale: z.number(), offset: z.number() }),
  /** v' = clip((v − p_low) / (p_high − p_low), 0, 1), percentiles over the crop (numpy's linear rule). */
  z.object({
    kind: z.literal('percentile'),
    low: z.number().min(0).max(100),
    high: z.number().min(0).max(100),
  }),
]);
export type Normalisation = z.infer<typeof NormalisationSchema>;

export const PreprocessingSchema = z.object({
  /** Applied first: v' = 1 − v (e.g. dark markers on a bright background). */
  invert: z.boolean().default(false),
  normalisation: NormalisationSchema.default({ kind: 'none' }),
});
export type Preprocessing = z.infer<typeof PreprocessingSchema>;

/** The model a fine-tuned model started from: what a user needs to find those weights again. */
export const BaseModelProvenanceSchema = z.object({
  name: z.string(),
  /** Its row in the project that trained this model (null when it had none). */
  modelId: z.number().int().positive().nullable(),
  origin: z.enum(['bundled', 'trained', 'imported']),
  /** weightsDigest of its weights (SHA-256, hex). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  classes: z.array(z.string()),
  /** Classes of this model whose classifier-head row started fresh (the base did not know them). */
  newHeadRows: z.array(z.string()),
});
export type BaseModelProvenance = z.infer<typeof BaseModelProvenanceSchema>;

/** Where an imported model's weights came from, when not from this app (a MICRA-Net model zoo). */
export const ModelSourceSchema = z.object({
  format: z.literal('micranet-zoo-hdf5'),
  /** The zoo's file name (not its folder: a card travels between machines). */
  file: z.string(),
  /** The architecture group ("MICRANet-1:5") and the model inside it ("network"). */
  group: z.string(),
  model: z.string(),
  /** The group's `trainer_params`, as the original code wrote them. */
  trainerParams: z.record(z.string(), z.unknown()),
});
export type ModelSource = z.infer<typeof ModelSourceSchema>;

export const ProvenanceSchema = z.object({
  /** Identifier of the model this one was fine-tuned from, if any. */
  parent: z.string().nullable().default(null),
  /** What that model is (absent on cards written before bases were recorded, and from scratch). */
  base: BaseModelProvenanceSchema.optional(),
  dataset: z.string().nullable().default(null),
  trainedAt: z.string().nullable().default(null),
  backend: z.string().nullable().default(null),
  epochs: z.number().int().nonnegative().nullable().default(null),
  metrics: z.record(z.string(), z.number()).default({}),
  /** Absent for models trained by this app. */
  source: ModelSourceSchema.optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** Intensity statistics on the [0, 1] scale (sample ÷ the bit depth's maximum), before preprocessing. */
export const IntensityStatsSchema = z.object({
  mean: z.number(),
  std: z.number().nonnegative(),
  p1: z.number(),
  p5: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
});
export type IntensityStats = z.infer<typeof IntensityStatsSchema>;

/** What the model was trained on, for warnings when an image or a sweep looks unlike it. */
export const TrainingDataStatsSchema = z.object({
  /** Bit depth of the training images (8 for the synthetic SEM). */
  bitDepth: z.number().int().positive(),
  /** Pooled over every training pixel. */
  intensity: IntensityStatsSchema,
  /** Share of positive crops in the validation set. */
  validationPositiveRate: z.number().min(0).max(1),
  /** Share of positives the class threshold was chosen for (a sweep's prior), if not the validation one. */
  sweepPositiveRate: z.number().min(0).max(1).optional(),
});
export type TrainingDataStats = z.infer<typeof TrainingDataStatsSchema>;

/**
 * The model's sweep screen (src-main/core/ml/screen/): a small network distilled from this model
 * that rules crops out before the full model scores them. Absent: the model has none, every crop
 * goes through the full model.
 */
export const ScreenCardSchema = z.object({
  /** The screen's manifest, relative to this manifest's folder (inside it). */
  file: z.string().min(1),
  /** Per class: a crop whose screen probability is below it is not scored by the full model. */
  thresholds: z.array(z.number().min(0).max(1)).min(1),
  /** The recall of the full model's positives the thresholds were set for (0.99). */
  targetRecall: z.number().min(0).max(1),
  /**
   * Per class: the full model's probability from which a held-out crop is one the screen must keep
   * (the class threshold, or the sweep's second-look floor when lower: a crop ruled out gets no
   * second look). Absent on cards from before it: the class threshold.
   */
  keepFrom: z.array(z.number().min(0).max(1)).optional(),
  /** Per class, on the held-out crops: share of the crops to keep (see keepFrom) the screen keeps. */
  recall: z.array(z.number().min(0).max(1)),
  /** Per class, on the held-out crops: share of all crops the screen keeps. */
  passRate: z.array(z.number().min(0).max(1)),
  /** Held-out crops the thresholds were set on, and how many of them the full model calls positive (per class). */
  heldOutCrops: z.number().int().nonnegative(),
  heldOutPositives: z.array(z.number().int().nonnegative()),
  /** Crops it was distilled on, how (trainer, seed), when. */
  distilledOn: z.number().int().nonnegative(),
  trainer: z.string(),
  seed: z.number().int(),
  distilledAt: z.string(),
  /** When the thresholds were set on the held-out crops: later than distilledAt when only they were re-derived. Absent: at distillation. */
  thresholdsSetAt: z.string().optional(),
});
export type ScreenCard = z.infer<typeof ScreenCardSchema>;

export const ModelCardSchema = z.object({
  classes: z.array(z.string()).min(1),
  inputSize: z.number().int().positive(),
  inChannels: z.number().int().positive(),
  preprocessing: PreprocessingSchema,
  classThresholds: z.array(z.number().min(0).max(1)),
  provenance: ProvenanceSchema,
  trainingData: TrainingDataStatsSchema.optional(),
  screen: ScreenCardSchema.optional(),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

/** What may be written in a manifest: any field may be left out. */
export const PartialModelCardSchema = z.object({
  classes: z.array(z.string()).min(1).optional(),
  inputSize: z.number().int().positive().optional(),
  inChannels: z.number().int().positive().optional(),
  preprocessing: PreprocessingSchema.optional(),
  classThresholds: z.array(z.number().min(0).max(1)).optional(),
  provenance: ProvenanceSchema.optional(),
  trainingData: TrainingDataStatsSchema.optional(),
  screen: ScreenCardSchema.optional(),
});

export const DEFAULT_INPUT_SIZE = 512;
export const DEFAULT_THRESHOLD = 0.5;

/**
 * Completes a (possibly absent) card with the defaults above and checks it against the model's
 * shape: a card whose class list or channel count disagrees with the weights is an error.
 */
export function completeModelCard(
  raw: unknown,
  model: { inChannels: number; numClasses: number; trainSize?: number | undefined },
): ModelCard {
  const parsed = PartialModelCardSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`model card is malformed: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const classes = c.classes ?? Array.from({ length: model.numClasses }, (_, i) => `class ${i + 1}`);
  if (classes.length !== model.numClasses) {
    throw new Error(`model card lists ${classes.length} classes but the weights have ${model.numClasses} outputs`);
  }
  const inChannels = c.inChannels ?? model.inChannels;
  if (inChannels !== model.inChannels) {
    throw new Error(`model card says ${inChannels} input channels but the weights expect ${model.inChannels}`);
  }
  const classThresholds = c.classThresholds ?? classes.map(() => DEFAULT_THRESHOLD);
  if (classThresholds.length !== classes.length) {
    throw new Error(`model card has ${classThresholds.length} thresholds for ${classes.length} classes`);
  }
  return ModelCardSchema.parse({
    classes,
    inputSize: c.inputSize ?? model.trainSize ?? DEFAULT_INPUT_SIZE,
    inChannels,
    preprocessing: c.preprocessing ?? PreprocessingSchema.parse({}),
    classThresholds,
    provenance: c.provenance ?? ProvenanceSchema.parse({}),
    ...(c.trainingData ? { trainingData: c.trainingData } : {}),
    ...(c.screen && c.screen.thresholds.length === classes.length ? { screen: c.screen } : {}),
  });
}
