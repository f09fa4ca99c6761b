// Whether the model a sweep would use now (the project's active model, else the bundled
// default) has a distilled screen: what the sweep controls show beside the "screen crops first"
// setting. Reads cards only; registers nothing.
import path from 'node:path';
import { resolveStoredPath } from '../project/projectLayout';
import type { ProjectStore } from '../project/projectStore';
import { bundledDefaultManifest, MANIFEST_FILE, readModelCard } from './sweepModel';

export async function activeModelHasScreen(store: ProjectStore): Promise<boolean> {
  const active = store.settings.activeModelId();
  const row = active === null ? null : store.models.get(active);
  const manifest = row ? path.join(resolveStoredPath(store.dir, row.dir), MANIFEST_FILE) : bundledDefaultManifest();
  if (!manifest) return false;
  try {
    return (await readModelCard(manifest)).screen !== undefined;
  } catch {
    // A missing or broken model is the sweep's error to report, not this question's.
    return false;
  }
}
