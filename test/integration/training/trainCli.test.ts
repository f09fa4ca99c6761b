// `micra train` and `micra evaluate` on a labelled project: JSON lines per epoch and a final
// line with the ready model; unlabelled crops of the training image are drawn at 1:2 as
// negatives; evaluate prints accuracy and a PR curve for the validation split.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROP, createSemTrainingProject, micra } from './semTrainingProject';

describe('micra train / evaluate', () => {
  let tmp: string;
  let projectDir: string;
  let expectedUnlabelled: number;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-train-cli-'));
    projectDir = path.join(tmp, 'project');
    // The top half of the training image and all of the validation image are labelled.
    await createSemTrainingProject(tmp, projectDir, (image) => (image === 0 ? 64 : 128), async (call) => {
      const stats = (await call('dataset.stats', { cropSize: CROP, puRatio: 2 })) as unknown as { unlabelledCandidates: number; classes: { splits: { train: { present: number } } }[] };
      expect(stats.unlabelledCandidates).toBe(8);
      expectedUnlabelled = Math.min(8, 2 * stats.classes[0]!.splits.train.present);
    });
  }, 60_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains and evaluates from the command line', async () => {
    const lines = (await micra(['train', '--project', projectDir, '--epochs', '1', '--pu-ratio', '1:2', '--crop-size', String(CROP), '--batch-size', '4', '--seed', '2']))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['type'])).toEqual(['epoch', 'final']);
    expect(lines[0]).toMatchObject({ epoch: 1, best: true });
    const final = lines[1] as { modelId: number; outcome: string; model: { status: string; metrics: { counts: { train: number; unlabelledUsed: number } } } };
    expect(final.outcome).toBe('completed');
    expect(final.model.status).toBe('ready');
    expect(final.model.metrics.counts.unlabelledUsed).toBe(expectedUnlabelled);
    expect(final.model.metrics.counts.train).toBe(8 + expectedUnlabelled);

    const ev = JSON.parse(await micra(['evaluate', '--project', projectDir, '--model', String(final.modelId)])) as {
      split: string;
      classes: { samples: number; curve: unknown[] }[];
    };
    expect(ev.split).toBe('validation');
    expect(ev.classes[0]!.samples).toBe(16);
    expect(ev.classes[0]!.curve.length).toBeGreaterThan(0);
  }, 300_000);
});
