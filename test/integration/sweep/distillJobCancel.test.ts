// The 'screenDistill' job runs on the compute process's own thread (not a worker), and its
// backend's data() resolves without a turn of the event loop: unless the job yields between
// distillation steps, the process reads no message until distillation ends — a cancel, another
// job's start (the feature preparation a training run must stop, CI saw it race) all wait
// seconds to minutes. Here a cancel is queued as a macrotask after the first step's progress; it
// must end the run at the next step, and nothing is written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError, type JobContext } from '../../../src-main/core/jobs/jobContext';
import { DistillScreenParamsSchema, distillScreenJobHandler } from '../../../src-main/core/ml/screen/distillJob';
import { REPO, sweepProject, type SweepProject } from './sweepKit';

describe('screen distillation job', () => {
  let p: SweepProject;
  let manifest: string;
  beforeAll(async () => {
    p = await sweepProject({ width: 768, height: 768, seed: 12, markerCount: 3 });
    const dir = path.join(p.tmp, 'model');
    fs.cpSync(path.join(REPO, 'models', 'default'), dir, { recursive: true, filter: (src) => !src.startsWith(path.join(REPO, 'models', 'default', 'screen')) });
    manifest = path.join(dir, 'manifest.json');
  }, 120_000);
  afterAll(async () => {
    await p?.cleanup();
  });

  it('reads its messages between steps: a cancel that arrives during distillation ends it at the next step, writing nothing', async () => {
    const image = p.app.requireImage(p.imageId);
    const params = DistillScreenParamsSchema.parse({
      projectDir: p.projectDir,
      weightsManifest: manifest,
      images: [{ id: image.id, width: image.width, height: image.height, bitsPerSample: image.bits_per_sample, channels: image.channels, tileSize: image.tile_size }],
      maxCrops: 9,
      steps: 40,
    });
    const controller = new AbortController();
    const steps: number[] = [];
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (_done, _total, message) => {
        const step = /step (\d+) of/.exec(message ?? '');
        if (!step) return;
        steps.push(Number(step[1]));
        // As the message loop delivers a cancel: a macrotask, run only when the job yields.
        if (steps.length === 1) setImmediate(() => controller.abort());
      },
    };
    await expect(distillScreenJobHandler.run(params, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(steps).toEqual([1]);
    expect(fs.existsSync(path.join(path.dirname(manifest), 'screen'))).toBe(false);
  }, 180_000);
});
