// The bases a training run may start from and how a choice becomes weights: the bundled default
// model (registered as the project's 'bundled' model row on first use, as a sweep does) or a
// ready model of the project, trained here or imported. Each offer carries the base's classes,
// its provenance and how its classes meet the project's (baseClassPlan.ts), so the Train screen
// says what will happen before a run starts. Reads manifests and hashes weights; no TensorFlow.js.
import path from 'node:path';
import type { z } from 'zod';
import type { BaseModelChoiceSchema, BaseModelOfferSchema } from '../../../api/channels/baseModelSchemas';
import type { Model } from '../../project/modelsRepo';
import { resolveStoredPath, resolveStoredPathOrNull } from '../../project/projectLayout';
import type { ProjectStore } from '../../project/projectStore';
import { bundledDefaultManifest, MANIFEST_FILE, readModelCard, registerModel } from '../../review/sweepModel';
import type { BaseModelProvenance, ModelCard } from '../weights/modelCard';
import { weightsDigest } from '../weights/weightsDigest';
import { planBaseClasses, type BaseClassPlan } from './baseClassPlan';
import { DomainError } from '../../../api/domainError';

export type BaseModelChoice = z.infer<typeof BaseModelChoiceSchema>;
export type BaseModelOffer = z.infer<typeof BaseModelOfferSchema>;

export const DEFAULT_BASE_NAME = 'Default model (bundled)';

export interface ResolvedBase {
  modelId: number;
  manifestPath: string;
  card: ModelCard;
  name: string;
  origin: Model['origin'];
}

function manifestOf(store: ProjectStore, m: Model): string {
  // Bundled rows hold an absolute folder outside the project; the others a relative one.
  return path.join(resolveStoredPath(store.dir, m.dir), MANIFEST_FILE);
}

/** The bundled default's row when it has been registered already (by a sweep or a run). */
function defaultRow(store: ProjectStore, manifest: string | null): Model | undefined {
  if (manifest === null) return undefined;
  const dir = path.dirname(manifest);
  return store.models.list().find((m) => m.origin === 'bundled' && resolveStoredPathOrNull(store.dir, m.dir) === dir);
}

export async function resolveBaseModel(store: ProjectStore, choice: BaseModelChoice): Promise<ResolvedBase> {
  if (choice.kind === 'default') {
    const manifestPath = bundledDefaultManifest();
    if (manifestPath === null) throw new DomainError('bad-request', 'no default model is installed (models/default/manifest.json)');
    const card = await readModelCard(manifestPath).catch((err: unknown) => {
      throw new DomainError('bad-request', `the default model cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    });
    const modelId = await registerModel(store, manifestPath, 'bundled');
    return { modelId, manifestPath, card, name: DEFAULT_BASE_NAME, origin: 'bundled' };
  }
  const m = store.models.get(choice.id);
  if (!m || m.status !== 'ready') throw new DomainError('bad-request', `model ${choice.id} does not exist or is not ready`);
  const manifestPath = manifestOf(store, m);
  const card = await readModelCard(manifestPath).catch((err: unknown) => {
    throw new DomainError('bad-request', `model ${m.id} (${m.name}) cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  });
  return { modelId: m.id, manifestPath, card, name: m.origin === 'bundled' ? DEFAULT_BASE_NAME : m.name, origin: m.origin };
}

/** What the new model's card records about its base. */
export async function baseProvenance(base: ResolvedBase, plan: BaseClassPlan): Promise<BaseModelProvenance> {
  return {
    name: base.name,
    modelId: base.modelId,
    origin: base.origin,
    sha256: await weightsDigest(base.manifestPath),
    classes: [...base.card.classes],
    newHeadRows: plan.newHeadRows,
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function offer(store: ProjectStore, choice: BaseModelChoice, row: Model | undefined, name: string, origin: Model['origin'], card: ModelCard): BaseModelOffer {
  const plan = planBaseClasses(card.classes, store.classes.list());
  const snapshot = row?.datasetSnapshot as { importedFrom?: unknown } | null | undefined;
  return {
    choice,
    modelId: row?.id ?? null,
    name,
    origin,
    classes: card.classes,
    inputSize: card.inputSize,
    provenance: {
      trainedAt: card.provenance.trainedAt,
      parent: card.provenance.parent,
      backend: card.provenance.backend,
      epochs: card.provenance.epochs,
      importedFrom: str(snapshot?.importedFrom),
      baseName: card.provenance.base?.name ?? null,
    },
    classPlan: { sameClasses: plan.sameClasses, classes: plan.classes, newHeadRows: plan.newHeadRows, message: plan.message },
  };
}

/**
 * The bundled default (when installed) first, then the project's ready trained and imported
 * models, newest first. A model whose weights cannot be read is left out rather than offered.
 */
export async function listBaseOffers(store: ProjectStore): Promise<BaseModelOffer[]> {
  const offers: BaseModelOffer[] = [];
  const manifest = bundledDefaultManifest();
  const registered = defaultRow(store, manifest);
  if (manifest !== null) {
    const card = await readModelCard(manifest).catch(() => null);
    if (card) offers.push(offer(store, { kind: 'default' }, registered, DEFAULT_BASE_NAME, 'bundled', card));
  }
  const rows = store.models
    .list()
    .filter((m) => m.status === 'ready' && m.id !== registered?.id)
    .sort((a, b) => b.id - a.id);
  for (const m of rows) {
    const card = await readModelCard(manifestOf(store, m)).catch(() => null);
    if (card) offers.push(offer(store, { kind: 'model', id: m.id }, m, m.origin === 'bundled' ? `${m.name} (bundled, earlier version)` : m.name, m.origin, card));
  }
  return offers;
}
