// The base a training run starts from, as the Train screen and `micra train --base-model` name
// it: the app's bundled default model, or a ready model of the project (trained here or
// imported). A file path is not a choice here: the CLI imports a manifest into the project
// first (models.import), so every base is a model row with a card, and no request asks main
// to read an arbitrary file.
import { z } from 'zod';

export const BaseModelChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('default') }).strict(),
  z.object({ kind: z.literal('model'), id: z.number().int().positive() }).strict(),
]);

/** One base the Train screen offers, with what the user must know before choosing it. */
export const BaseModelOfferSchema = z.object({
  choice: BaseModelChoiceSchema,
  /** The model row (the bundled default has one once it has been used). */
  modelId: z.number().int().positive().nullable(),
  name: z.string(),
  origin: z.enum(['bundled', 'trained', 'imported']),
  classes: z.array(z.string()),
  inputSize: z.number().int().positive().nullable(),
  /** Short provenance: when and on what it was trained, where it came from. */
  provenance: z.object({
    trainedAt: z.string().nullable(),
    parent: z.string().nullable(),
    backend: z.string().nullable(),
    epochs: z.number().int().nonnegative().nullable(),
    importedFrom: z.string().nullable(),
    baseName: z.string().nullable(),
  }),
  /** How the base's classes meet the project's (see core/ml/training/baseClassPlan.ts). */
  classPlan: z.object({
    sameClasses: z.boolean(),
    /** What the new model would learn. */
    classes: z.array(z.string()),
    newHeadRows: z.array(z.string()),
    message: z.string(),
  }),
});
