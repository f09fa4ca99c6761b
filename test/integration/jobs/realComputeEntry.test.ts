// The app's own compute entry (src-main/compute/main.ts with the real job registry), forked
// as in serve mode: import a generated TIFF, then compute tile statistics over its pyramid.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/api/types';
import { forkComputeChannel } from '../../../src-main/core/jobs/computeChannel';
import { ComputeHost } from '../../../src-main/core/jobs/computeHost';
import { JobRunner } from '../../../src-main/core/jobs/jobRunner';
import { writeTiffFile } from '../../../src-main/core/imaging/tiffWriter';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { levelCount } from '../../../src-shared/pyramidGeometry';
import { imageTilesDir, thumbnailPath } from '../../../src-main/core/project/projectLayout';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const COMPUTE_MAIN = path.join(REPO, 'src-main/compute/main.ts');

describe('the real compute process entry', () => {
  let tmp: string | undefined;
  let store: ProjectStore | undefined;
  let host: ComputeHost | undefined;
  afterEach(() => {
    host?.dispose();
    store?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('imports a TIFF into a pyramid and computes its level-0 statistics', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-realcompute-'));
    const width = 1100;
    const height = 700;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (x * 7 + y * 3) % 251;
    const tiff = path.join(tmp, 'gradient.tif');
    await writeTiffFile(tiff, { data, width, height, channels: 1, bitsPerSample: 8 });

    store = openProjectStore(path.join(tmp, 'proj'), { create: true });
    host = new ComputeHost(() => forkComputeChannel(COMPUTE_MAIN, ['--import', 'tsx']));
    const updates: JobSummary[] = [];
    const runner = new JobRunner({ jobs: store.jobs, host, onUpdate: (j) => updates.push(j) });
    const levels = levelCount(width, height);
    const imageId = store.images.insertImporting({
      name: 'gradient.tif', width, height, bitsPerSample: 8, channels: 1, tileSize: 512, levels,
      pixelSizeNm: null, sourcePath: tiff, contentHash: null,
    });

    const imported = runner.run('import', { projectDir: store.dir, imageId, sourcePath: tiff }, { imageId });
    expect(await imported.result).toMatchObject({ width, height, bitsPerSample: 8, channels: 1, levels });
    expect(fs.existsSync(thumbnailPath(store.dir, imageId))).toBe(true);
    expect(fs.readdirSync(imageTilesDir(store.dir, imageId)).filter((f) => /^\d+$/.test(f))).toHaveLength(levels);
    expect(store.jobs.get(imported.jobId)).toMatchObject({ status: 'done', kind: 'import', image_id: imageId });

    const stats = runner.run('tileStats', { projectDir: store.dir, imageId, level: 0 }, { imageId });
    const histogram = new Array<number>(256).fill(0);
    let sum = 0;
    for (const v of data) {
      histogram[v] = (histogram[v] ?? 0) + 1;
      sum += v;
    }
    expect(await stats.result).toEqual({ imageId, level: 0, min: 0, max: 250, mean: sum / data.length, histogram });
    expect(store.jobs.get(stats.jobId)).toMatchObject({ status: 'done', done: 6, total: 6 }); // 3 × 2 tiles
    expect(updates.filter((u) => u.id === stats.jobId).map((u) => u.status)).toContain('running');
  });
});
