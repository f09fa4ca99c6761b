// Main side of the models list: summaries (card, provenance, metrics, active flag, how the last
// run ended), the active model, export (weights + card, no checkpoints) and import of a model
// folder, and setting a class threshold (in the database and in the weights' manifest, so the
// sweep and `micra maps` see the same value). Only JSON and file copies: no TensorFlow.js.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { confinedProjectPath } from '../../project/confinedPath';
import { MODELS_DIR, nextModelDir, resolveStoredPath, resolveStoredPathOrNull } from '../../project/projectLayout';
import type { Model } from '../../project/modelsRepo';
import type { ProjectStore } from '../../project/projectStore';
import type { TrainingOutcome } from '../../project/trainingRepo';
import { readF32Manifest, shapeSize } from '../weights/f32Manifest';
import { completeModelCard, ModelCardSchema, ScreenCardSchema } from '../weights/modelCard';
import { updateManifestCard } from '../weights/manifestCardFile';
import { screenManifestPath } from '../screen/screenFiles';
import { withZooAsWeightsFolder, ZooInputError, type ZooChoice } from '../weights/zooImport';
import { isMicraNetZooPath } from '../../../../src-shared/modelZooPath';
import { checkpointDirOfModel } from './checkpointPaths';
import { DomainError } from '../../../api/domainError';

export interface ModelSummary {
  id: number;
  name: string;
  parentId: number | null;
  origin: Model['origin'];
  status: Model['status'];
  card: Record<string, unknown>;
  datasetSnapshot: unknown;
  metrics: unknown;
  createdAt: string;
  active: boolean;
  trainingOutcome: TrainingOutcome | null;
  resumable: boolean;
}

export function modelSummary(store: ProjectStore, m: Model): ModelSummary {
  const run = store.training.getRun(m.id);
  const outcome = run?.outcome ?? null;
  const modelDir = resolveStoredPathOrNull(store.dir, m.dir);
  const resumable =
    outcome !== null &&
    outcome !== 'completed' &&
    outcome !== 'stopped-early' &&
    modelDir !== null &&
    existsSync(path.join(checkpointDirOfModel(modelDir), 'last', 'manifest.json'));
  return {
    id: m.id,
    name: m.name,
    parentId: m.parentId,
    origin: m.origin,
    status: m.status,
    card: m.card !== null && typeof m.card === 'object' ? (m.card as Record<string, unknown>) : {},
    datasetSnapshot: m.datasetSnapshot,
    metrics: m.metrics,
    createdAt: m.createdAt,
    active: store.settings.activeModelId() === m.id,
    trainingOutcome: outcome,
    resumable,
  };
}

export function listModels(store: ProjectStore): ModelSummary[] {
  return store.models.list().map((m) => modelSummary(store, m));
}

function requireModel(store: ProjectStore, id: number): Model {
  const m = store.models.get(id);
  if (!m) throw new DomainError('bad-request', `no model ${id} in this project`);
  return m;
}

/**
 * The files of a model's weights, relative to its folder: manifest.json, the .f32 files it names,
 * and its sweep screen's manifest and files when the card names one that is there (a model
 * copied without its screen sweeps every crop in full).
 */
async function weightFiles(dir: string): Promise<string[]> {
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = await readF32Manifest(manifestPath);
  const files = ['manifest.json', ...Object.values(manifest.arrays).map((a) => a.file)];
  const card = manifest['card'];
  const screen = ScreenCardSchema.safeParse(typeof card === 'object' && card !== null ? (card as { screen?: unknown }).screen : undefined);
  if (!screen.success) return files;
  const screenManifest = screenManifestPath(manifestPath, screen.data.file);
  if (!existsSync(screenManifest)) return files;
  const screenDir = path.relative(dir, path.dirname(screenManifest));
  const screenArrays = (await readF32Manifest(screenManifest)).arrays;
  return [...files, path.relative(dir, screenManifest), ...Object.values(screenArrays).map((a) => path.join(screenDir, a.file))];
}

/** Copies a model's weight files (weightFiles) from one folder to another, sub-folders included. */
async function copyWeightFiles(source: string, target: string): Promise<void> {
  for (const f of await weightFiles(source)) {
    await mkdir(path.dirname(path.join(target, f)), { recursive: true });
    await copyFile(path.join(source, f), path.join(target, f));
  }
}

export async function exportModel(store: ProjectStore, id: number, target: string): Promise<string> {
  const m = requireModel(store, id);
  if (m.status !== 'ready') throw new DomainError('bad-request', `model ${id} is not ready`);
  const source = resolveStoredPath(store.dir, m.dir);
  const out = path.resolve(target);
  if (existsSync(path.join(out, 'manifest.json'))) throw new DomainError('bad-request', `${out} already holds a model`);
  await mkdir(out, { recursive: true });
  await copyWeightFiles(source, out);
  return out;
}

/**
 * Imports a model folder (or its manifest.json) after checking the manifest, card and file sizes,
 * or one model of an original MICRA-Net zoo (.hdf5; `zoo` picks it), converted first.
 */
export async function importModel(store: ProjectStore, from: string, name?: string, zoo: ZooChoice = {}): Promise<ModelSummary> {
  if (isMicraNetZooPath(from)) {
    try {
      return await withZooAsWeightsFolder(from, zoo, (dir, label) => importModelFolder(store, dir, name ?? label, path.resolve(from)));
    } catch (err) {
      throw err instanceof ZooInputError ? new DomainError('bad-request', err.message) : err;
    }
  }
  const src = from.endsWith('.json') ? path.dirname(path.resolve(from)) : path.resolve(from);
  return importModelFolder(store, src, name ?? path.basename(src), src);
}

async function importModelFolder(store: ProjectStore, src: string, name: string, importedFrom: string): Promise<ModelSummary> {
  const manifestPath = path.join(src, 'manifest.json');
  if (!existsSync(manifestPath)) throw new DomainError('bad-request', `${src} has no manifest.json`);
  const manifest = await readF32Manifest(manifestPath);
  for (const [key, entry] of Object.entries(manifest.arrays)) {
    const size = (await stat(path.join(src, entry.file)).catch(() => null))?.size;
    if (size !== shapeSize(entry.shape) * 4) throw new DomainError('bad-request', `array ${key} of ${manifestPath} is missing or has the wrong size`);
  }
  const model = (manifest['model'] ?? {}) as { in_channels?: unknown; num_classes?: unknown; train_size?: unknown };
  if (typeof model.in_channels !== 'number' || typeof model.num_classes !== 'number') {
    throw new DomainError('bad-request', `${manifestPath} does not say the model's in_channels and num_classes`);
  }
  let card;
  try {
    card = completeModelCard(manifest['card'], {
      inChannels: model.in_channels,
      numClasses: model.num_classes,
      trainSize: typeof model.train_size === 'number' ? model.train_size : undefined,
    });
  } catch (err) {
    throw new DomainError('bad-request', err instanceof Error ? err.message : String(err));
  }
  const tmpDir = path.join(store.dir, MODELS_DIR, `import-${process.pid}-${Date.now()}.partial`);
  await mkdir(tmpDir, { recursive: true });
  try {
    await copyWeightFiles(src, tmpDir);
    const inserted = store.transaction(() => {
      return store.models.insert({
        name,
        parentId: null,
        dir: nextModelDir(store.dir, store.models.nextId()),
        origin: 'imported',
        status: 'ready',
        card,
        datasetSnapshot: { importedFrom },
      });
    });
    await rename(tmpDir, path.join(store.dir, inserted.dir));
    if (card.provenance.metrics && Object.keys(card.provenance.metrics).length > 0) store.models.setMetrics(inserted.id, card.provenance.metrics);
    return modelSummary(store, requireModel(store, inserted.id));
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

export async function setClassThreshold(store: ProjectStore, id: number, classIndex: number, threshold: number): Promise<ModelSummary> {
  const m = requireModel(store, id);
  if (m.status !== 'ready') throw new DomainError('bad-request', `model ${id} is not ready`);
  const card = ModelCardSchema.parse(m.card);
  if (classIndex >= card.classThresholds.length) throw new DomainError('bad-request', `model ${id} has ${card.classThresholds.length} classes`);
  card.classThresholds[classIndex] = threshold;
  // Written to: only a model folder inside the project, never one a stored path leads elsewhere.
  const manifestPath = path.join(confinedProjectPath(store.dir, m.dir), 'manifest.json');
  await updateManifestCard(manifestPath, () => card);
  store.training.setModelCard(id, card);
  return modelSummary(store, requireModel(store, id));
}
