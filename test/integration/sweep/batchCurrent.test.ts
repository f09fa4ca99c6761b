// The batch sweep as main keeps it (sweep.batchCurrent), through the app as a page asks for it
// on load: the runs the project's settings name, as the database has them now; a run whose image
// was removed left out; nothing (null) when no batch was started or what is stored is not one
// (a project file is untrusted input).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { ask, realApp, tempDir } from '../app/appTestKit';
import { seedSweepRun } from '../../unit/evaluation/seedSweepRun';

let app: MicraApp;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  tmp = tempDir('micra-batch-current-');
  app = realApp();
  await app.openProject(path.join(tmp.dir, 'project'), true);
}, 60_000);

afterAll(async () => {
  await app?.close();
  tmp?.cleanup();
});

function addImage(name: string): number {
  const { store } = app.requireProject();
  const id = store.images.insertImporting({ name, width: 1024, height: 1024, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: name, contentHash: null });
  store.images.markReady(id);
  return id;
}

describe('sweep.batchCurrent', () => {
  it('is null before any batch, and for a stored value that is not a batch', async () => {
    expect(await ask(app, 'sweep.batchCurrent', {})).toBeNull();
    app.requireProject().store.settings.set('sweepBatch', { runIds: ['1'], startedAt: -5 });
    expect(await ask(app, 'sweep.batchCurrent', {})).toBeNull();
  });

  it("answers the batch's runs as they stand now, without those of removed images", async () => {
    const { store } = app.requireProject();
    const a = addImage('a.tif');
    const b = addImage('b.tif');
    const c = addImage('c.tif');
    const skipped = seedSweepRun(store, a, 0.5, []);
    const running = seedSweepRun(store, b, 0.5, [], 'failed');
    const gone = seedSweepRun(store, c, 0.5, []);
    store.settings.set('sweepBatch', { runIds: [running, gone], resumedRunIds: [running], skippedRunIds: [skipped], startedAt: 1_700_000_000_000, cropsDoneAtStart: 3 });
    // Image c removed since (its runs go with it); run b's state moved on after the batch started.
    store.images.remove(c);
    store.sweepRuns.finish(running, 'cancelled', null);

    const batch = await ask(app, 'sweep.batchCurrent', {});
    expect(batch).toMatchObject({ resumedRunIds: [running], startedAt: 1_700_000_000_000, cropsDoneAtStart: 3 });
    expect(batch!.runs.map((r) => [r.id, r.imageId, r.status])).toEqual([[running, b, 'cancelled']]);
    expect(batch!.skipped.map((r) => [r.id, r.imageId, r.status])).toEqual([[skipped, a, 'done']]);
  });
});
