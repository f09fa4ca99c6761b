// tileStats over a real imported pyramid, against statistics computed from the source samples.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importJobHandler } from '../../../src-main/core/imaging/importJob';
import { tileStatsJobHandler } from '../../../src-main/core/imaging/tileStatsJob';
import { pattern16 } from '../../generators/tiff/tiffVariants';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { jobContext, tempDir } from './importTestKit';

const tmp = tempDir('micra-stats-');
afterAll(() => tmp.cleanup());

describe('tileStats job', () => {
  it('matches min, max, mean and histogram of the source (16-bit, level 0)', async () => {
    const [w, h] = [700, 600];
    const samples = pattern16(w, h, 1);
    const file = path.join(tmp.dir, 'g16.tif');
    writeTestTiff(file, [{ width: w, height: h, channels: 1, bits: 16, samples, rowsPerStrip: 32, compression: 'deflate' }]);
    await importJobHandler.run({ projectDir: tmp.dir, imageId: 1, sourcePath: file }, jobContext());
    const ctx = jobContext();
    const stats = await tileStatsJobHandler.run({ projectDir: tmp.dir, imageId: 1, level: 0 }, ctx);
    let min = Infinity, max = -Infinity, sum = 0;
    const hist = new Array<number>(256).fill(0);
    for (const v of samples) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      hist[v >> 8]!++;
    }
    expect(stats).toMatchObject({ imageId: 1, level: 0, min, max });
    expect(stats.mean).toBeCloseTo(sum / samples.length, 6);
    expect(stats.histogram).toEqual(hist);
    expect(ctx.reports.at(-1)).toEqual({ done: 4, total: 4 });
    const coarse = await tileStatsJobHandler.run({ projectDir: tmp.dir, imageId: 1, level: 1 }, jobContext());
    expect(coarse.histogram.reduce((a, b) => a + b, 0)).toBe(350 * 300);
    await expect(tileStatsJobHandler.run({ projectDir: tmp.dir, imageId: 1, level: 2 }, jobContext())).rejects.toThrow(/2 levels/);
  });
});
