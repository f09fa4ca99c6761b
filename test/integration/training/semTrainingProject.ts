// Test helper for the `micra train` CLI tests: a tiny labelled project (two 128² synthetic SEM
// images, one class "Axon DAB", 32² crops labelled present where ≥ 40 marker pixels lie), image 0
// in the training split and image 1 in validation, and the CLI run the way a user runs it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { generateSemTile, writeSemTiff } from '../../generators/sem';

const run = promisify(execFile);
export const REPO = path.resolve(import.meta.dirname, '../../..');
export const CROP = 32;
const SIDE = 128;

/** Runs `micra ARGS` from the repository and returns its stdout. */
export async function micra(args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['tsx', 'src-main/cli/main.ts', ...args], { cwd: REPO, maxBuffer: 1 << 24 });
  return stdout;
}

export type Call = (channel: string, params: unknown) => Promise<{ id: number }>;

/**
 * Creates the project in `projectDir`; `labelledRows(i)` is how many pixel rows of image i (from
 * the top) get crop labels. `inspect` runs on the open app before it closes.
 */
export async function createSemTrainingProject(tmp: string, projectDir: string, labelledRows: (image: number) => number, inspect?: (call: Call, app: MicraApp) => Promise<void>): Promise<void> {
  const app = createNodeApp('serve');
  await app.openProject(projectDir, true);
  const call: Call = async (channel, params) => {
    const out = await dispatchRequest(app.handlers, channel, params);
    if (!out.ok) throw new Error(out.error.message);
    return out.result as { id: number };
  };
  const classId = (await call('classes.create', { name: 'Axon DAB' })).id;
  for (const [i, seed] of [7, 8].entries()) {
    const tile = generateSemTile({ width: SIDE, height: SIDE, seed, markerCount: 2 });
    const file = path.join(tmp, `sem${seed}.tif`);
    await writeSemTiff(file, tile);
    const outcome = await app.importFile(file);
    if (!outcome.ok) throw new Error(outcome.error);
    await call('dataset.setSplit', { imageId: outcome.image.id, split: i === 0 ? 'train' : 'validation' });
    for (let y = 0; y < labelledRows(i); y += CROP)
      for (let x = 0; x < SIDE; x += CROP) {
        let n = 0;
        for (let j = y; j < y + CROP; j++) for (let k = x; k < x + CROP; k++) n += tile.mask[j * SIDE + k] as number;
        await call('crops.label', { imageId: outcome.image.id, x, y, size: CROP, classId, value: n >= 40 ? 'present' : 'absent' });
      }
  }
  await inspect?.(call, app);
  await app.close();
}
