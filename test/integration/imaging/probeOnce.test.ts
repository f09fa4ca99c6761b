// The import job builds from main's probe when main hands it one (the TIFF's directories are read
// once per import), and probes afresh when that probe no longer describes the file. The proof is a
// field only the probe supplies: a pixel size planted in main's probe comes out in the result.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportParamsSchema, importJobHandler } from '../../../src-main/core/imaging/importJob';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { jobContext, tempDir } from './importTestKit';

const tmp = tempDir('micra-probe-once-');
afterAll(() => tmp.cleanup());

function writeImage(name: string): string {
  const file = path.join(tmp.dir, name);
  const [w, h] = [96, 64];
  writeTestTiff(file, [{ width: w, height: h, channels: 1, bits: 8, samples: new Uint8Array(w * h).map((_, i) => i & 255), rowsPerStrip: 16 }]);
  return file;
}

describe('import job and main’s probe', () => {
  it('builds from the probe it is given instead of probing again', async () => {
    const file = writeImage('given.tif');
    const probe = { ...(await probeTiff(file)), pixelSizeNm: 123 };
    const params = ImportParamsSchema.parse({ projectDir: tmp.dir, imageId: 1, sourcePath: file, probe });
    await expect(importJobHandler.run(params, jobContext())).resolves.toMatchObject({ outcome: 'built', width: 96, height: 64, pixelSizeNm: 123 });
  });

  it('probes afresh when the file is no longer the size the probe saw, or the probe is of another page or file', async () => {
    const file = writeImage('changed.tif');
    const probe = { ...(await probeTiff(file)), pixelSizeNm: 123 };
    const other = writeImage('other.tif');
    for (const [imageId, sourcePath, page] of [[2, other, 0], [3, file, 1]] as const) {
      const params = ImportParamsSchema.parse({ projectDir: tmp.dir, imageId, sourcePath, page, probe });
      const run = importJobHandler.run(params, jobContext());
      // Page 1 does not exist: the job's own probe says so, main's stale one is not used.
      if (page === 1) await expect(run).rejects.toThrow(/page 2 does not exist/);
      else await expect(run).resolves.toMatchObject({ outcome: 'built', pixelSizeNm: null });
    }
    appendFileSync(file, Buffer.alloc(16));
    const params = ImportParamsSchema.parse({ projectDir: tmp.dir, imageId: 4, sourcePath: file, probe });
    await expect(importJobHandler.run(params, jobContext())).resolves.toMatchObject({ outcome: 'built', pixelSizeNm: null });
  });

  it('refuses a probe that is not one, as every message from another process', () => {
    const bad = ImportParamsSchema.safeParse({ projectDir: tmp.dir, imageId: 5, sourcePath: '/x.tif', probe: { path: '/x.tif', width: -1 } });
    expect(bad.success).toBe(false);
  });
});
