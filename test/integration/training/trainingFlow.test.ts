// The labelling → training → model loop through the real MicraApp and compute process, at a tiny
// size (32² crops of two 128² synthetic SEM images, 2 epochs): label decisions in the log,
// undo, dataset stats by split, a training run with per-epoch events and history rows, the
// model row and its files, the active model, evaluation with a PR curve, thresholds, and an
// export/import round trip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';
import { generateSemTile, writeSemTiff, type SemTile } from '../../generators/sem';
import { ask } from '../app/appTestKit';

const CROP = 32;

function cropHasMarker(tile: SemTile, x: number, y: number): boolean {
  let n = 0;
  for (let j = y; j < y + CROP; j++) for (let i = x; i < x + CROP; i++) n += tile.mask[j * tile.width + i] as number;
  return n >= 40;
}

describe('training through MicraApp', () => {
  let tmp: string;
  let app: MicraApp;
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const images: Array<{ id: number; tile: SemTile }> = [];
  let classId: number;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-train-'));
    app = createNodeApp('serve');
    app.events.subscribe((event, payload) => events.push({ event, payload }));
    await app.openProject(path.join(tmp, 'project'), true);
    for (const seed of [5, 6]) {
      const tile = generateSemTile({ width: 128, height: 128, seed, markerCount: 2 });
      const file = path.join(tmp, `sem${seed}.tif`);
      await writeSemTiff(file, tile);
      const outcome = await app.importFile(file);
      if (!outcome.ok) throw new Error(outcome.error);
      images.push({ id: outcome.image.id, tile });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('labels crops into the decision log, with counts and undo', async () => {
    classId = (await ask(app, 'classes.create', { name: 'Axon DAB' })).id;
    expect(await ask(app, 'classes.list', {})).toHaveLength(1);
    await ask(app, 'dataset.setSplit', { imageId: images[0]!.id, split: 'train' });
    await ask(app, 'dataset.setSplit', { imageId: images[1]!.id, split: 'validation' });
    let present = 0;
    for (const { id, tile } of images) {
      const grid = await ask(app, 'crops.grid', { imageId: id, cropSize: CROP, limit: 500, hideBackground: false });
      expect(grid.total).toBe(16);
      expect(grid.crops).toHaveLength(16);
      for (const c of grid.crops) {
        const value = cropHasMarker(tile, c.x, c.y) ? 'present' : 'absent';
        if (value === 'present') present++;
        await ask(app, 'crops.label', { imageId: id, x: c.x, y: c.y, size: CROP, classId, value });
      }
    }
    expect(present).toBeGreaterThan(0);
    const { store } = app.requireProject();
    expect(store.db.prepare("SELECT count(*) AS n FROM decisions WHERE action = 'label'").get()).toEqual({ n: 32 });
    // Undo the last label: its crop loses the label, the log gains an undo, counts drop by one.
    const before = (await ask(app, 'crops.label', { imageId: images[1]!.id, x: 0, y: 0, size: CROP, classId, value: 'skip' })).counts[0]!;
    const undone = await ask(app, 'crops.undo', {});
    expect(undone.undoneDecisionId).not.toBeNull();
    expect(undone.counts[0]!.skip).toBe(before.skip - 1);
    expect(undone.counts[0]!.present + undone.counts[0]!.absent).toBe(32);
    const grid = await ask(app, 'crops.grid', { imageId: images[1]!.id, cropSize: CROP, limit: 1, hideBackground: false });
    expect(grid.crops[0]!.labels).toEqual([{ classId, value: cropHasMarker(images[1]!.tile, 0, 0) ? 'present' : 'absent' }]);

    const stats = await ask(app, 'dataset.stats', { cropSize: CROP });
    const s = stats.classes[0]!.splits;
    expect(s.train.present + s.train.absent).toBe(16);
    expect(s.validation.present + s.validation.absent).toBe(16);
    expect(s.test.present + s.test.absent).toBe(0);
    expect(stats.images).toEqual({ train: [images[0]!.id], validation: [images[1]!.id], test: [] });
  });

  it('trains a model: epochs announced and stored, model row, files, history, active model', async () => {
    const { jobId, modelId } = await ask(app, 'training.start', { epochs: 2, puRatio: 0, batchSize: 4, cropSize: CROP, seed: 3, learningRate: 1e-3 });
    const { store, runner } = app.requireProject();
    expect(store.models.get(modelId)?.status).toBe('training');
    expect(runner.summary(jobId)?.kind).toBe('train');
    await new Promise<void>((resolve) => {
      const check = () => (store.models.get(modelId)?.status !== 'training' ? resolve() : setTimeout(check, 200));
      check();
    });
    const model = (await ask(app, 'models.list', {})).find((m) => m.id === modelId)!;
    expect(model).toMatchObject({ status: 'ready', origin: 'trained', trainingOutcome: 'completed', active: false });
    expect(model.card.classes).toEqual(['Axon DAB']);
    expect(model.card.inputSize).toBe(CROP);
    const card = ModelCardSchema.parse(model.card);
    expect(card.classThresholds[0]).toBeGreaterThan(0);
    expect(card.provenance.backend).toMatch(/wasm|cpu|tensorflow/);
    expect(model.metrics).toMatchObject({ epochs: 2, counts: { train: 16, validation: 16 } });

    const dir = path.join(store.dir, store.models.get(modelId)!.dir);
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'weights__conv1a.weight.f32')).size).toBe(32 * 1 * 3 * 3 * 4);
    expect(fs.existsSync(path.join(dir, 'checkpoint', 'last', 'manifest.json'))).toBe(true);

    const history = await ask(app, 'training.history', { modelId });
    expect(history.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2]);
    for (const e of history.epochs) {
      expect(Number.isFinite(e.trainLoss)).toBe(true);
      expect(e.valLoss).not.toBeNull();
    }
    const epochEvents = events
      .filter((e) => e.event === 'training.epoch')
      .map((e) => e.payload as EventPayload<'training.epoch'>)
      .filter((p) => p.modelId === modelId);
    expect(epochEvents.map((p) => p.epoch)).toEqual([1, 2]);
    expect(epochEvents[1]!.trainLoss).toBeCloseTo(history.epochs[1]!.trainLoss, 6);

    await ask(app, 'models.setActive', { id: modelId });
    expect(store.settings.activeModelId()).toBe(modelId);
    expect((await ask(app, 'models.list', {}))[0]!.active).toBe(true);
  }, 300_000);

  it('evaluates on the validation split, sets a threshold, exports and imports', async () => {
    const { store } = app.requireProject();
    const modelId = store.models.list()[0]!.id;
    const ev = await ask(app, 'evaluation.run', { modelId, split: 'validation' });
    const c0 = ev.classes[0]!;
    expect(c0.samples).toBe(16);
    const tile = images[1]!.tile;
    let truePositives = 0;
    for (let y = 0; y < 128; y += CROP) for (let x = 0; x < 128; x += CROP) if (cropHasMarker(tile, x, y)) truePositives++;
    expect(c0.positives).toBe(truePositives);
    expect(c0.curve.length).toBeGreaterThan(0);
    expect(c0.accuracy).toBeGreaterThanOrEqual(0);
    expect(c0.accuracy).toBeLessThanOrEqual(1);

    const updated = await ask(app, 'models.setThreshold', { id: modelId, classIndex: 0, threshold: 0.37 });
    expect(updated.card.classThresholds).toEqual([0.37]);
    const manifest = JSON.parse(fs.readFileSync(path.join(store.dir, store.models.get(modelId)!.dir, 'manifest.json'), 'utf8'));
    expect(manifest.card.classThresholds).toEqual([0.37]);

    const exported = (await ask(app, 'models.export', { id: modelId, path: path.join(tmp, 'exported') })).path;
    expect(fs.existsSync(path.join(exported, 'checkpoint'))).toBe(false);
    const imported = await ask(app, 'models.import', { path: exported, name: 'copy' });
    expect(imported).toMatchObject({ origin: 'imported', status: 'ready', name: 'copy' });
    expect(imported.card.classThresholds).toEqual([0.37]);
    const a = fs.readFileSync(path.join(exported, 'weights__linear1.weight.f32'));
    const b = fs.readFileSync(path.join(store.dir, store.models.get(imported.id)!.dir, 'weights__linear1.weight.f32'));
    expect(b.equals(a)).toBe(true);
  }, 120_000);
});
