// Shared set-up of the sweep and review integration tests: a project in a temp folder opened by
// the real MicraApp (forked compute process from the sources), holding one generated SEM image,
// and the reference fixture's weights (trained on SEM-like blobs at 256², one class).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, EventPayload } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { generateSemTile, writeSemTiff, type SemTile } from '../../generators/sem';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURE_MODEL = path.resolve(REPO, '../shared/fixtures/micranet-reference/manifest.json');

export interface SweepProject {
  tmp: string;
  projectDir: string;
  app: MicraApp;
  imageId: number;
  tile: SemTile;
  events: Array<{ event: EventName; payload: unknown }>;
  cleanup(): Promise<void>;
}

export async function sweepProject(opts: { width: number; height: number; seed: number; markerCount: number }): Promise<SweepProject> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-sweep-'));
  const tile = generateSemTile(opts);
  const tiff = path.join(tmp, 'sem.tif');
  await writeSemTiff(tiff, tile);
  const projectDir = path.join(tmp, 'project');
  const app = createNodeApp('serve');
  const events: SweepProject['events'] = [];
  app.events.subscribe((event, payload) => events.push({ event, payload }));
  await app.openProject(projectDir, true);
  const outcome = await app.importFile(tiff);
  if (!outcome.ok) throw new Error(outcome.error);
  return {
    tmp,
    projectDir,
    app,
    imageId: outcome.image.id,
    tile,
    events,
    async cleanup() {
      await app.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export function eventsOf<E extends EventName>(p: SweepProject, name: E): Array<EventPayload<E>> {
  return p.events.filter((e) => e.event === name).map((e) => e.payload as EventPayload<E>);
}

/** A stored suggestion as the screen tests compare runs by: box, score and mask. */
export interface SuggestionRow {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  mask: Buffer;
}

/** A run's stored suggestions, in a fixed order (by box corner). */
export function suggestionRows(app: MicraApp, runId: number): SuggestionRow[] {
  return app.requireProject().store.db.prepare('SELECT x, y, width, height, score, mask FROM suggestions WHERE sweep_run_id = ? ORDER BY x, y').all(runId) as SuggestionRow[];
}
