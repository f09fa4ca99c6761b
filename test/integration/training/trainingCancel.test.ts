// Cancel during an epoch, through the real MicraApp, compute process and training worker: the
// job says 'cancelling' at once, ends cancelled, the epoch in progress is dropped (the last
// checkpoint is the end of epoch 1), the best checkpoint so far becomes the model (ready, with
// its card), and the run is recorded as cancelled with the epoch it completed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { decodeTrainingProgress } from '../../../src-main/core/ml/training/trainingProgress';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { ask } from '../app/appTestKit';

const CROP = 32;

describe('cancelling a training run', () => {
  let tmp: string;
  let app: MicraApp;
  let imageId: number;
  const updates: JobSummary[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-train-cancel-'));
    app = createNodeApp('serve');
    app.events.subscribe((event, payload) => {
      if (event === 'job.updated') updates.push(payload as JobSummary);
    });
    await app.openProject(path.join(tmp, 'project'), true);
    const file = path.join(tmp, 'sem.tif');
    await writeSemTiff(file, generateSemTile({ width: 128, height: 128, seed: 5, markerCount: 2 }));
    const outcome = await app.importFile(file);
    if (!outcome.ok) throw new Error(outcome.error);
    imageId = outcome.image.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('stops within the epoch, keeps the best checkpoint as the model and records the run as cancelled', async () => {
    const classId = (await ask(app, 'classes.create', { name: 'Axon DAB' })).id;
    await ask(app, 'dataset.setSplit', { imageId, split: 'train' });
    const grid = await ask(app, 'crops.grid', { imageId, cropSize: CROP, limit: 500, hideBackground: false });
    for (const [i, c] of grid.crops.entries()) {
      await ask(app, 'crops.label', { imageId, x: c.x, y: c.y, size: CROP, classId, value: i % 3 === 0 ? 'present' : 'absent' });
    }
    // Batches of 1: 16 steps an epoch. Cancel at the first step of epoch 2.
    const { jobId, modelId } = await ask(app, 'training.start', { epochs: 5, puRatio: 0, batchSize: 1, cropSize: CROP, seed: 3 });
    const { store } = app.requireProject();
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        const last = updates.filter((u) => u.id === jobId).at(-1);
        const p = decodeTrainingProgress(last?.message);
        if (p?.type === 'step' && p.epoch >= 2) resolve();
        else if (last && last.status !== 'running' && last.status !== 'queued') reject(new Error(`the job ended ${last.status} before epoch 2`));
        else setTimeout(check, 5);
      };
      check();
    });
    const before = updates.length;
    expect(await ask(app, 'jobs.cancel', { id: jobId })).toEqual({ cancelled: true });
    // Announced at once, before the compute process has even heard of it.
    expect(updates.slice(before)[0]).toMatchObject({ id: jobId, status: 'running', cancelling: true, etaSeconds: null });
    await new Promise<void>((resolve) => {
      const check = () => (store.models.get(modelId)?.status !== 'training' ? resolve() : setTimeout(check, 50));
      check();
    });

    const job = store.db.prepare('SELECT status, error FROM jobs WHERE id = ?').get(jobId);
    expect(job).toEqual({ status: 'cancelled', error: null });
    expect(updates.filter((u) => u.id === jobId).at(-1)).toMatchObject({ status: 'cancelled' });
    expect(updates.filter((u) => u.id === jobId).at(-1)?.cancelling).toBeUndefined();
    const run = store.db.prepare('SELECT outcome, error, finished_at FROM training_runs WHERE model_id = ?').get(modelId) as { outcome: string; error: string | null; finished_at: string | null };
    expect(run).toMatchObject({ outcome: 'cancelled', error: null });
    expect(run.finished_at).not.toBeNull();
    expect(store.db.prepare('SELECT epoch, best FROM training_epochs WHERE model_id = ? ORDER BY epoch').all(modelId)).toEqual([{ epoch: 1, best: 1 }]);

    // The model is the best checkpoint (epoch 1), usable, with its card in the DB and on disk.
    const model = (await ask(app, 'models.list', {})).find((m) => m.id === modelId)!;
    expect(model).toMatchObject({ status: 'ready', trainingOutcome: 'cancelled', resumable: true });
    const card = ModelCardSchema.parse(model.card);
    expect(card.classes).toEqual(['Axon DAB']);
    const dir = path.join(store.dir, store.models.get(modelId)!.dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { card: unknown };
    expect(ModelCardSchema.parse(manifest.card).classThresholds).toEqual(card.classThresholds);
    // The cancelled epoch left nothing behind: last/ is the end of epoch 1 (16 steps).
    const last = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint', 'last', 'manifest.json'), 'utf8')) as { state: { epochsDone: number; globalStep: number } };
    expect(last.state).toMatchObject({ epochsDone: 1, globalStep: 16 });
    expect(fs.existsSync(path.join(dir, 'checkpoint', 'last.tmp'))).toBe(false);
  }, 300_000);
});
