// Reading a model zoo of the original MICRA-Net code (FLClab/MICRA-Net): an HDF5 file with one
// group per architecture and supervision level ("MICRANet-1:5", or "MICRANet" in zoos with a
// single one), holding one group per trained model ("network") whose datasets are the PyTorch
// state_dict, and two attributes on the architecture group: `trainer_params` (a JSON string of
// the constructor's arguments: num_input_images, num_classes, size, …) and `class_thresholds`
// (one per class, on the sigmoid probability; absent from some zoos). Everything is read and
// checked here, into memory, before anything is written; the result is ready for the weights
// format (zooImport.ts writes it).
import path from 'node:path';
import { z } from 'zod';
import type { F32Array } from './f32Manifest';
import { Hdf5InputError, withHdf5File, type Hdf5Group } from './hdf5File';
import { WEIGHTS_PREFIX } from './manifestModelInfo';
import { micranetStateDictShapes, NUM_BATCHES_TRACKED } from './micranetStateDict';
import { completeModelCard, type ModelCard, type ModelSource } from './modelCard';
import { SIZE_MULTIPLE } from '../model/architecture';

export class ZooInputError extends Error {}

/** Which model of the zoo: `supervision` names the group ("1:5" or "MICRANet-1:5"), `model` the model in it. */
export interface ZooChoice {
  readonly supervision?: string | undefined;
  readonly model?: string | undefined;
}

export interface ZooModel {
  readonly source: ModelSource;
  readonly inChannels: number;
  readonly numClasses: number;
  /** `weights/<state_dict name>` → PyTorch-layout float32 array, as the weights format stores them. */
  readonly arrays: ReadonlyMap<string, F32Array>;
  readonly card: ModelCard;
  /** Datasets left out: BatchNorm's num_batches_tracked counters. */
  readonly ignored: readonly string[];
}

/** The prefix of the original code's architecture groups ("MICRANet-" + supervision level). */
const GROUP_PREFIX = 'MICRANet-';

/**
 * Bounds far above any MICRA-Net (1 input image and 1–4 classes in the paper) that keep a
 * hostile trainer_params from asking for absurd arrays before any shape is compared.
 */
const MAX_INPUT_IMAGES = 64;
const MAX_CLASSES = 1024;
const MAX_SIZE = 16384;
const MAX_TRAINER_PARAMS_CHARS = 65536;

const TrainerParamsSchema = z.looseObject({
  num_input_images: z.number().int().min(1).max(MAX_INPUT_IMAGES).optional(),
  num_classes: z.number().int().min(1).max(MAX_CLASSES).optional(),
  size: z
    .number()
    .int()
    .min(SIZE_MULTIPLE)
    .max(MAX_SIZE)
    .refine((s) => s % SIZE_MULTIPLE === 0, `must be a multiple of ${SIZE_MULTIPLE} (three 2 × 2 poolings)`)
    .optional(),
  /** Not written by the original code; honoured when a zoo carries class names. */
  classes: z.array(z.string().min(1)).optional(),
});

function listed(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

/** The architecture group `supervision` names, or the only one; otherwise a refusal listing them. */
function chooseGroup(file: string, groups: readonly string[], supervision: string | undefined): string {
  const hint = `choose one with --supervision (e.g. --supervision ${exampleSupervision(groups)})`;
  if (groups.length === 0) throw new ZooInputError(`${file} holds no groups: not a MICRA-Net model zoo`);
  if (supervision === undefined || supervision === '') {
    if (groups.length === 1) return groups[0] as string;
    throw new ZooInputError(`${file} holds several architecture groups: ${listed(groups)}; ${hint}`);
  }
  const found = [supervision, `${GROUP_PREFIX}${supervision}`].find((g) => groups.includes(g));
  if (found === undefined) throw new ZooInputError(`${file} has no group for supervision '${supervision}'; its groups: ${listed(groups)}; ${hint}`);
  return found;
}

function exampleSupervision(groups: readonly string[]): string {
  const g = groups.find((n) => n.startsWith(GROUP_PREFIX)) ?? groups[0] ?? `${GROUP_PREFIX}1:5`;
  return g.startsWith(GROUP_PREFIX) ? g.slice(GROUP_PREFIX.length) : g;
}

function chooseModel(group: Hdf5Group, models: readonly string[], model: string | undefined): string {
  if (models.length === 0) throw new ZooInputError(`group ${group.path} holds no model (no sub-group of state_dict datasets)`);
  if (model === undefined || model === '') {
    if (models.length === 1) return models[0] as string;
    throw new ZooInputError(`group ${group.path} holds several models: ${listed(models)}; choose one with --model`);
  }
  if (!models.includes(model)) throw new ZooInputError(`group ${group.path} has no model '${model}'; its models: ${listed(models)}`);
  return model;
}

function trainerParams(group: Hdf5Group): z.infer<typeof TrainerParamsSchema> {
  const raw = group.attribute('trainer_params');
  if (raw === undefined) throw new ZooInputError(`group ${group.path} has no trainer_params attribute`);
  if (typeof raw !== 'string') throw new ZooInputError(`trainer_params of ${group.path} is not a string`);
  // It is kept in the model card: a few hundred bytes in the original zoos.
  if (raw.length > MAX_TRAINER_PARAMS_CHARS) throw new ZooInputError(`trainer_params of ${group.path} is over ${MAX_TRAINER_PARAMS_CHARS} characters`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ZooInputError(`trainer_params of ${group.path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = TrainerParamsSchema.safeParse(json);
  if (!parsed.success) throw new ZooInputError(`trainer_params of ${group.path} is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** `class_thresholds`: one number in [0, 1] per class (a bare number for one class), or undefined. */
function classThresholds(group: Hdf5Group, numClasses: number): number[] | undefined {
  const raw = group.attribute('class_thresholds');
  if (raw === undefined) return undefined;
  const values =
    typeof raw === 'number' ? [raw] : raw instanceof Float64Array || raw instanceof Float32Array ? Array.from(raw) : Array.isArray(raw) ? raw : null;
  if (values === null || !values.every((v): v is number => typeof v === 'number')) {
    throw new ZooInputError(`class_thresholds of ${group.path} is not an array of numbers`);
  }
  if (values.length !== numClasses) {
    throw new ZooInputError(`class_thresholds of ${group.path} has ${values.length} values for ${numClasses} classes`);
  }
  if (!values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)) {
    throw new ZooInputError(`class_thresholds of ${group.path} must be probabilities in [0, 1]: [${values.join(', ')}]`);
  }
  return values;
}

/** in_channels / num_classes: from trainer_params, else from the first conv and the linear layer. */
function dimension(declared: number | undefined, model: Hdf5Group, dataset: string, axis: number, what: string): number {
  if (declared !== undefined) return declared;
  const shape = model.datasetShape(dataset);
  const n = shape?.[axis];
  if (shape?.length !== (dataset.startsWith('conv') ? 4 : 2) || n === undefined || n < 1) {
    throw new ZooInputError(`cannot tell the model's ${what}: trainer_params does not say and ${model.path}/${dataset} is missing or malformed`);
  }
  return n;
}

function readStateDict(model: Hdf5Group, inChannels: number, numClasses: number): { arrays: Map<string, F32Array>; ignored: string[] } {
  const expected = micranetStateDictShapes(inChannels, numClasses);
  const present = model.childNames();
  const ignored = present.filter((n) => n.endsWith(NUM_BATCHES_TRACKED));
  const unexpected = present.filter((n) => !expected.has(n) && !n.endsWith(NUM_BATCHES_TRACKED));
  if (unexpected.length > 0) {
    throw new ZooInputError(`${model.path} is not a MICRA-Net state_dict: unexpected ${listed(unexpected.slice(0, 8))}${unexpected.length > 8 ? ', …' : ''}`);
  }
  const missing = [...expected.keys()].filter((n) => !present.includes(n));
  if (missing.length > 0) throw new ZooInputError(`${model.path} lacks ${listed(missing)}`);
  const arrays = new Map<string, F32Array>();
  for (const [name, shape] of expected) {
    const arr = model.floatDataset(name, shape);
    if (!arr.data.every(Number.isFinite)) throw new ZooInputError(`${model.path}/${name} contains non-finite values`);
    if (name.endsWith('.running_var') && arr.data.some((v) => v < 0)) throw new ZooInputError(`${model.path}/${name} has negative variances`);
    arrays.set(`${WEIGHTS_PREFIX}${name}`, arr);
  }
  return { arrays, ignored };
}

/** Reads and checks one model of a zoo; throws ZooInputError naming the problem. */
export async function readMicraNetZoo(file: string, choice: ZooChoice = {}): Promise<ZooModel> {
  const name = path.basename(file);
  try {
    return await withHdf5File(file, (f) => {
      const groupName = chooseGroup(name, f.groupNames(), choice.supervision);
      const group = f.childGroup(groupName);
      const modelName = chooseModel(group, group.groupNames(), choice.model);
      const model = group.childGroup(modelName);
      const params = trainerParams(group);
      const inChannels = dimension(params.num_input_images, model, 'conv1a.weight', 1, 'number of input images');
      const numClasses = dimension(params.num_classes, model, 'linear1.weight', 0, 'number of classes');
      const thresholds = classThresholds(group, numClasses);
      const { arrays, ignored } = readStateDict(model, inChannels, numClasses);
      if (params.classes && params.classes.length !== numClasses) {
        throw new ZooInputError(`trainer_params of ${group.path} names ${params.classes.length} classes for ${numClasses} outputs`);
      }
      const source: ModelSource = { format: 'micranet-zoo-hdf5', file: name, group: groupName, model: modelName, trainerParams: { ...params } };
      const card = completeModelCard(
        {
          ...(params.classes ? { classes: params.classes } : {}),
          ...(thresholds ? { classThresholds: thresholds } : {}),
          provenance: { backend: 'PyTorch (original MICRA-Net code)', source },
        },
        { inChannels, numClasses, trainSize: params.size },
      );
      return { source, inChannels, numClasses, arrays, card, ignored };
    });
  } catch (err) {
    if (err instanceof Hdf5InputError) throw new ZooInputError(err.message);
    throw err;
  }
}
