// A run whose model's screen cannot be used records why (sweep_runs.screen_notice, migration 010),
// and whether it used the screen at all: a run that had screened none of its crops did not (screen
// 0); one resumed after screening some did, for those crops (screen stays 1). Real project database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';

describe('sweep run screen notice', () => {
  let tmp: string;
  let store: ProjectStore;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-screen-notice-'));
    store = openProjectStore(path.join(tmp, 'p'), { create: true });
  });
  afterEach(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function screenedRun() {
    const imageId = store.images.insertImporting({
      name: 'a.tif', width: 1024, height: 1024, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null,
    });
    const modelId = store.models.insert({ name: 'm', parentId: null, dir: 'models/m', origin: 'imported', status: 'ready', card: {} }).id;
    const classId = store.classes.create('Axon DAB', '#ff0000').id;
    return store.sweepRuns.create({ imageId, modelId, classId, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 4, screen: true });
  }

  it('is null until the screen is found unusable', () => {
    const run = screenedRun();
    expect(run.screen).toBe(1);
    expect(run.screen_notice).toBeNull();
  });

  it('a run that screened no crop yet did not use the screen', () => {
    const run = screenedRun();
    store.sweepRuns.setScreenUnusable(run.id, 'damaged', false);
    expect(store.sweepRuns.mustGet(run.id)).toMatchObject({ screen: 0, screen_notice: 'damaged' });
  });

  it('a run resumed after screening some crops keeps saying it used the screen, with the notice', () => {
    const run = screenedRun();
    store.sweepRuns.recordCrop(run.id, { col: 0, row: 0, score: 0.01 });
    store.sweepRuns.setScreenUnusable(run.id, 'gone', true);
    expect(store.sweepRuns.mustGet(run.id)).toMatchObject({ screen: 1, screen_notice: 'gone' });
  });
});
