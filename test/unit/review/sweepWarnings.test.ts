// A sweep run is checked against its model's training data and the warnings are stored on the
// run: a 16-bit image at once, intensities once the image's histogram is in, and far more
// positives than the threshold's prior as crops come in. Real project database; the tileStats
// job is a stand-in answering with a histogram.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRunner } from '../../../src-main/core/jobs/jobRunner';
import { completeModelCard, type ModelCard } from '../../../src-main/core/ml/weights/modelCard';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import type { SweepRunsRepo } from '../../../src-main/core/project/sweepRunsRepo';
import { statsLevel, SweepWarnings } from '../../../src-main/core/review/sweepWarnings';

const card: ModelCard = completeModelCard(
  {
    classes: ['Axon DAB'],
    trainingData: { bitDepth: 8, intensity: { mean: 0.6, std: 0.13, p1: 0.12, p5: 0.24, p50: 0.64, p95: 0.72, p99: 0.8 }, validationPositiveRate: 0.35, sweepPositiveRate: 1 / 17 },
  },
  { inChannels: 1, numClasses: 1 },
);

/** A stand-in runner: the tileStats job answers with samples spread evenly over bins [from, to]. */
function runnerWithHistogram(from: number, to: number): Pick<JobRunner, 'run'> & { levels: number[] } {
  const levels: number[] = [];
  return {
    levels,
    run: ((kind: string, params: { level: number }) => {
      expect(kind).toBe('tileStats');
      levels.push(params.level);
      const histogram = new Array<number>(256).fill(0);
      for (let b = from; b <= to; b++) histogram[b] = 1000;
      return { jobId: 1, result: Promise.resolve({ imageId: 1, level: params.level, min: 0, max: 0, mean: 0, histogram }) };
    }) as JobRunner['run'],
  };
}

describe('sweep warnings', () => {
  let tmp: string;
  let store: ProjectStore;
  let runs: SweepRunsRepo;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-warnings-'));
    store = openProjectStore(path.join(tmp, 'p'), { create: true });
    runs = store.sweepRuns;
  });
  afterEach(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function runOn(bits: 8 | 16) {
    const imageId = store.images.insertImporting({
      name: 'a.tif', width: 4096, height: 4096, bitsPerSample: bits, channels: 1, tileSize: 512, levels: 5, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null,
    });
    const modelId = store.models.insert({ name: 'm', parentId: null, dir: 'models/m', origin: 'imported', status: 'ready', card: {} }).id;
    const classId = store.classes.findByName('Axon DAB')?.id ?? store.classes.create('Axon DAB', '#ff0000').id;
    const run = runs.create({ imageId, modelId, classId, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 16, rows: 16 });
    return { run, image: store.images.get(imageId)! };
  }

  it('warns of a 16-bit image and of intensities unlike the training, and stores it on the run', async () => {
    const { run, image } = runOn(16);
    const runner = runnerWithHistogram(0, 20); // a dark image: median ≈ 0.04 on [0, 1]
    const warnings = new SweepWarnings(store, runs, runner);
    expect(await warnings.start(run.id, card, image)).toBe(true);
    // The histogram comes from the first level no larger than 1,024 px: level 2 of 4,096².
    expect(runner.levels).toEqual([2]);
    const stored = JSON.parse(runs.mustGet(run.id).warnings) as Array<{ kind: string; message: string }>;
    expect(stored.map((w) => w.kind)).toEqual(['bitDepth', 'intensity']);
    expect(stored[0]!.message).toMatch(/16-bit image, the model was trained on 8-bit/);
  });

  it('warns once far more crops are positive than the threshold was set for, and not before', async () => {
    const { run, image } = runOn(8);
    const warnings = new SweepWarnings(store, runs, runnerWithHistogram(62, 185)); // 0.24–0.72, like the training
    expect(await warnings.start(run.id, card, image)).toBe(false);
    expect(runs.mustGet(run.id).warnings).toBe('[]');
    // 64 crops at the prior's rate (about 1 in 17): nothing.
    for (let i = 0; i < 64; i++) runs.recordCrop(run.id, { col: i % 16, row: Math.floor(i / 16), score: i % 16 === 0 ? 0.9 : 0.1 });
    expect(warnings.update(run.id)).toBe(false);
    // Then 40 positives in 64 more crops.
    for (let i = 64; i < 128; i++) runs.recordCrop(run.id, { col: i % 16, row: Math.floor(i / 16), score: i % 8 < 5 ? 0.9 : 0.1 });
    expect(warnings.update(run.id)).toBe(true);
    expect(JSON.parse(runs.mustGet(run.id).warnings)).toEqual([expect.objectContaining({ kind: 'positiveRate', message: expect.stringMatching(/far more positives/) })]);
    expect(warnings.update(run.id)).toBe(false);
  });

  it('takes the coarsest level an image needs', () => {
    expect(statsLevel({ width: 10_240, height: 10_240, levels: 6 })).toBe(4);
    expect(statsLevel({ width: 800, height: 600, levels: 2 })).toBe(0);
    expect(statsLevel({ width: 100_000, height: 10, levels: 3 })).toBe(2);
  });
});
