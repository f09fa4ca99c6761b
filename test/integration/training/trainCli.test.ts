// `micra train` and `micra evaluate` on a labelled project: JSON lines per epoch and a final
// line with the ready model; unlabelled crops of the training image are drawn at 1:2 as
// negatives; evaluate prints accuracy and a PR curve for the validation split.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { generateSemTile, writeSemTiff } from '../../generators/sem';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const CROP = 32;

async function micra(args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['tsx', 'src-main/cli/main.ts', ...args], { cwd: REPO, maxBuffer: 1 << 24 });
  return stdout;
}

describe('micra train / evaluate', () => {
  let tmp: string;
  let projectDir: string;
  let expectedUnlabelled: number;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-train-cli-'));
    projectDir = path.join(tmp, 'project');
    const app = createNodeApp('serve');
    await app.openProject(projectDir, true);
    const call = async (channel: string, params: unknown) => {
      const out = await dispatchRequest(app.handlers, channel, params);
      if (!out.ok) throw new Error(out.error.message);
      return out.result as { id: number };
    };
    const classId = (await call('classes.create', { name: 'Axon DAB' })).id;
    for (const [i, seed] of [7, 8].entries()) {
      const tile = generateSemTile({ width: 128, height: 128, seed, markerCount: 2 });
      const file = path.join(tmp, `sem${seed}.tif`);
      await writeSemTiff(file, tile);
      const outcome = await app.importFile(file);
      if (!outcome.ok) throw new Error(outcome.error);
      await call('dataset.setSplit', { imageId: outcome.image.id, split: i === 0 ? 'train' : 'validation' });
      // Label the top half of the training image and all of the validation image.
      for (let y = 0; y < 128; y += CROP)
        for (let x = 0; x < 128; x += CROP) {
          if (i === 0 && y >= 64) continue;
          let n = 0;
          for (let j = y; j < y + CROP; j++) for (let k = x; k < x + CROP; k++) n += tile.mask[j * 128 + k] as number;
          await call('crops.label', { imageId: outcome.image.id, x, y, size: CROP, classId, value: n >= 40 ? 'present' : 'absent' });
        }
    }
    const stats = (await call('dataset.stats', { cropSize: CROP, puRatio: 2 })) as unknown as { unlabelledCandidates: number; classes: { splits: { train: { present: number } } }[] };
    expect(stats.unlabelledCandidates).toBe(8);
    expectedUnlabelled = Math.min(8, 2 * stats.classes[0]!.splits.train.present);
    await app.close();
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
