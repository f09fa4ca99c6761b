// `micra train --base-model PATH/manifest.json`: a base given as files becomes a model of the
// project first (as the Models list's import does), so the new model's parent is a row with a
// card and the base stays with the project. Running the same command again reuses that import
// instead of copying the weights once more: same source folder and same weights digest.
import path from 'node:path';
import type { ProjectStore } from '../../project/projectStore';
import { resolveStoredPath } from '../../project/projectLayout';
import { weightsDigest } from '../weights/weightsDigest';
import { importModel } from './modelRegistry';

export async function importBaseOnce(store: ProjectStore, from: string): Promise<{ modelId: number; imported: boolean }> {
  const folder = from.endsWith('.json') ? path.dirname(path.resolve(from)) : path.resolve(from);
  const candidates = store.models.list().filter((m) => {
    const snapshot = m.datasetSnapshot as { importedFrom?: unknown } | null;
    return m.origin === 'imported' && m.status === 'ready' && snapshot?.importedFrom === folder;
  });
  if (candidates.length > 0) {
    const digest = await weightsDigest(path.join(folder, 'manifest.json'));
    for (const m of candidates) {
      const same = await weightsDigest(path.join(resolveStoredPath(store.dir, m.dir), 'manifest.json')).catch(() => null);
      if (same === digest) return { modelId: m.id, imported: false };
    }
  }
  return { modelId: (await importModel(store, folder)).id, imported: true };
}
