// Which model a sweep (or "add a region") uses, and its row in the project's models table:
// an explicit model of the project, else a weights manifest given by path (registered as
// 'imported', or 'bundled' for the app's default), else the project's active model, else the
// bundled default models/default/manifest.json.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readF32Manifest } from '../ml/weights/f32Manifest';
import { completeModelCard, type ModelCard } from '../ml/weights/modelCard';
import { resolveStoredPath, toStoredPath } from '../project/projectLayout';
import type { ProjectStore } from '../project/projectStore';

export const MANIFEST_FILE = 'manifest.json';

export interface SweepModel {
  modelId: number;
  /** Absolute path of the weights manifest. */
  manifest: string;
  card: ModelCard;
  classIndex: number;
  /** The project class the suggestions get (created from the card's class name when missing). */
  classId: number;
}

export interface SweepModelChoice {
  modelId?: number | undefined;
  manifestPath?: string | undefined;
  classIndex?: number | undefined;
}

/**
 * The bundled default model: MICRA_DEFAULT_MODEL, else models/default/manifest.json at the
 * repository root (from the sources or from dist/<area>/), else next to a packaged app's
 * resources. null when none is installed.
 */
export function bundledDefaultManifest(): string | null {
  const env = process.env['MICRA_DEFAULT_MODEL'];
  if (env) return path.resolve(env);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, '..', '..', '..', 'models', 'default', MANIFEST_FILE),
    path.join(here, '..', '..', 'models', 'default', MANIFEST_FILE),
  ];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'models', 'default', MANIFEST_FILE));
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** The card of a weights manifest, without loading the weights. */
export async function readModelCard(manifest: string): Promise<ModelCard> {
  const m = await readF32Manifest(manifest);
  const info = (m['model'] ?? {}) as { in_channels?: number; num_classes?: number; train_size?: number };
  const linear = m.arrays['weights/linear1.weight'];
  const conv = m.arrays['weights/conv1a.weight'];
  const numClasses = info.num_classes ?? linear?.shape[0];
  const inChannels = info.in_channels ?? conv?.shape[1];
  if (!numClasses || !inChannels) throw new Error(`${manifest} does not describe a MICRA-Net model`);
  return completeModelCard(m['card'], { inChannels, numClasses, trainSize: info.train_size });
}

const CLASS_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4'];

export async function resolveSweepModel(store: ProjectStore, choice: SweepModelChoice): Promise<SweepModel> {
  let modelId: number;
  let manifest: string;
  if (choice.modelId !== undefined) {
    const model = store.models.get(choice.modelId);
    if (!model) throw new Error(`no model ${choice.modelId} in this project`);
    if (model.status !== 'ready') throw new Error(`model ${model.id} (${model.name}) is not ready`);
    modelId = model.id;
    manifest = path.join(resolveStoredPath(store.dir, model.dir), MANIFEST_FILE);
  } else {
    const active = choice.manifestPath === undefined ? store.settings.activeModelId() : null;
    if (active !== null) return resolveSweepModel(store, { ...choice, modelId: active });
    const given = choice.manifestPath ?? bundledDefaultManifest();
    if (!given) throw new Error('no model: the project has no active model and no default model is installed (models/default/manifest.json)');
    manifest = path.resolve(given);
    modelId = await registerModel(store, manifest, choice.manifestPath === undefined ? 'bundled' : 'imported');
  }
  if (!existsSync(manifest)) throw new Error(`model weights are missing: ${manifest}`);
  const card = await readModelCard(manifest);
  const classIndex = choice.classIndex ?? 0;
  if (classIndex >= card.classes.length) throw new Error(`the model has ${card.classes.length} classes; class index ${classIndex} is out of range`);
  const className = card.classes[classIndex] as string;
  const classId =
    store.classes.findByName(className)?.id ??
    store.classes.create(className, CLASS_COLORS[store.classes.list().length % CLASS_COLORS.length] as string).id;
  return { modelId, manifest, card, classIndex, classId };
}

/** The models row of a weights folder outside the project's own models (found or added). */
export async function registerModel(store: ProjectStore, manifest: string, origin: 'bundled' | 'imported'): Promise<number> {
  const dir = toStoredPath(store.dir, path.dirname(manifest));
  const found = store.models.list().find((m) => m.dir === dir);
  if (found) return found.id;
  const card = await readModelCard(manifest);
  const name = origin === 'bundled' ? 'default model' : path.basename(path.dirname(manifest));
  return store.models.insert({ name, parentId: null, dir, origin, status: 'ready', card }).id;
}
