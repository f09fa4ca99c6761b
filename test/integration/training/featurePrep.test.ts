// Background feature preparation through the real MicraApp and compute process (32² crops of
// synthetic SEM images): labels recorded with an active model start one 'prepareFeatures' job,
// which stores the features of exactly the crops "Retrain from decisions" then reads — the
// retrain adds no feature file (it computed none); without an active model nothing starts; a
// training run starting while preparation runs cancels it (its features so far stay valid), and
// preparation resumes once the run has ended.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary, RequestParams } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { decodeFeaturePrepProgress } from '../../../src-shared/featurePrepProgress';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { ask } from '../app/appTestKit';

const CROP = 32;

describe('background feature preparation through MicraApp', () => {
  let tmp: string;
  let app: MicraApp;
  const jobs = new Map<number, JobSummary>();
  const imageIds: number[] = [];
  let classId: number;
  let baseId: number;

  const prepJobs = () => [...jobs.values()].filter((j) => j.kind === 'prepareFeatures').sort((a, b) => a.id - b.id);
  const until = async (what: () => boolean, ms = 240_000) => {
    const t0 = Date.now();
    while (!what()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const settled = (j: JobSummary | undefined) => j !== undefined && j.status !== 'running' && j.status !== 'queued';
  const featureFiles = () => {
    const root = path.join(app.requireProject().store.dir, 'cache', 'features');
    if (!fs.existsSync(root)) return [];
    return fs.readdirSync(root).flatMap((ns) => fs.readdirSync(path.join(root, ns)).filter((f) => f.endsWith('.mfc')).map((f) => `${ns}/${f}`));
  };
  const labelGrid = async (imageId: number, count: number, skip = 0) => {
    const grid = await ask(app, 'crops.grid', { imageId, cropSize: CROP, limit: 500, hideBackground: false });
    for (const [k, c] of grid.crops.slice(skip, skip + count).entries()) {
      await ask(app, 'crops.label', { imageId, x: c.x, y: c.y, size: CROP, classId, value: k % 3 === 0 ? 'present' : 'absent' });
    }
  };
  const trainToEnd = async (params: RequestParams<'training.start'>) => {
    const { modelId } = await ask(app, 'training.start', params);
    const { store } = app.requireProject();
    await until(() => store.models.get(modelId)?.status !== 'training');
    expect(store.models.get(modelId)?.status).toBe('ready');
    return modelId;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-prep-'));
    app = createNodeApp('serve');
    app.events.subscribe((event, payload) => {
      if (event === 'job.updated') jobs.set((payload as JobSummary).id, payload as JobSummary);
    });
    await app.openProject(path.join(tmp, 'project'), true);
    for (const seed of [5, 6, 7]) {
      const file = path.join(tmp, `sem${seed}.tif`);
      await writeSemTiff(file, generateSemTile({ width: 128, height: 128, seed, markerCount: 2 }));
      const outcome = await app.importFile(file);
      if (!outcome.ok) throw new Error(outcome.error);
      imageIds.push(outcome.image.id);
    }
    classId = (await ask(app, 'classes.create', { name: 'Axon DAB' })).id;
    await ask(app, 'dataset.setSplit', { imageId: imageIds[0]!, split: 'train' });
    await ask(app, 'dataset.setSplit', { imageId: imageIds[1]!, split: 'validation' });
    await ask(app, 'dataset.setSplit', { imageId: imageIds[2]!, split: 'train' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts nothing without an active model', async () => {
    await labelGrid(imageIds[0]!, 8);
    await labelGrid(imageIds[1]!, 16);
    // Longer than the scheduler's quiet period.
    await new Promise((r) => setTimeout(r, 2500));
    expect(prepJobs()).toEqual([]);
  }, 60_000);

  it("prepares the labelled crops' features once labels land, and the retrain then computes none", async () => {
    baseId = await trainToEnd({ epochs: 1, puRatio: 0, batchSize: 4, cropSize: CROP, seed: 3, learningRate: 1e-3 });
    await ask(app, 'models.setActive', { id: baseId });
    expect(prepJobs()).toEqual([]);
    // Eight more labels in a burst: one job (after the quiet period), for every crop the retrain reads.
    await labelGrid(imageIds[0]!, 8, 8);
    await until(() => settled(prepJobs().at(-1)));
    const [job] = prepJobs();
    expect(prepJobs()).toHaveLength(1);
    expect(job!.status).toBe('done');
    // All new: 16 labelled training crops and the unlabelled ones drawn beside them (1:5 per
    // positive, from the third image's grid), 2 dihedral variants each, and 16 validation crops (identity).
    const progress = decodeFeaturePrepProgress(job!.message)!;
    expect(progress.ready).toBe(progress.total);
    expect(progress.total).toBeGreaterThan(32);
    const prepared = featureFiles();
    expect(prepared).toHaveLength((progress.total - 16) * 2 + 16);

    // "Retrain from decisions": the same base, mode and defaults as the Retrain button.
    await trainToEnd({ baseModelId: baseId, mode: 'linear+3-4', epochs: 2, name: 'retrain' });
    // Every computed feature is written to the store as it is computed: none was.
    expect(featureFiles().sort()).toEqual([...prepared].sort());
    // A training run is no label: no new preparation.
    expect(prepJobs()).toHaveLength(1);
  }, 600_000);

  it('is cancelled when a training run starts, and resumes after it', async () => {
    const before = prepJobs().length;
    // A new image whose crops no earlier preparation has seen: enough work that the job is
    // still running when the run starts (the earlier images' features are all prepared, and a
    // job on them ends before a training run could cancel it).
    const file = path.join(tmp, 'sem8.tif');
    await writeSemTiff(file, generateSemTile({ width: 512, height: 512, seed: 8, markerCount: 4 }));
    const outcome = await app.importFile(file);
    if (!outcome.ok) throw new Error(outcome.error);
    await ask(app, 'dataset.setSplit', { imageId: outcome.image.id, split: 'train' });
    await labelGrid(outcome.image.id, 48);
    await until(() => prepJobs().length > before && prepJobs().at(-1)!.status === 'running');
    const cancelled = prepJobs().at(-1)!;
    const { modelId } = await ask(app, 'training.start', { baseModelId: baseId, mode: 'linear+3-4', epochs: 1, name: 'retrain 2' });
    await until(() => settled(jobs.get(cancelled.id)));
    expect(jobs.get(cancelled.id)!.status).toBe('cancelled');
    const { store } = app.requireProject();
    await until(() => store.models.get(modelId)?.status !== 'training');
    // The labels recorded meanwhile are prepared after the run (the run computed what it needed).
    await until(() => prepJobs().length > before + 1 && settled(prepJobs().at(-1)));
    expect(prepJobs().at(-1)!.status).toBe('done');
    // No two preparations ever overlapped.
    const rows = prepJobs().map((j) => store.jobs.get(j.id)!);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.started_at! >= rows[i - 1]!.finished_at!).toBe(true);
  }, 600_000);
});
