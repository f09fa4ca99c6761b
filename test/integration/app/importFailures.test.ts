// Failures mid-import through MicraApp.importFile and a real compute process: whatever happens,
// the outcome says why and the project keeps no row, no tiles, no half-built pyramid.
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { ask, diskFullApp, ramp, realApp, tempDir, tileStoreIds } from './appTestKit';

const tmp = tempDir('micra-app-failures-');
const apps: MicraApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  tmp.cleanup();
});

function source(name: string, width: number, height: number): string {
  const file = path.join(tmp.dir, name);
  writeTestTiff(file, [{ width, height, channels: 1, bits: 8, samples: ramp(width, height), rowsPerStrip: 64 }]);
  return file;
}

async function open(app: MicraApp, name: string): Promise<string> {
  apps.push(app);
  const dir = path.join(tmp.dir, name);
  await app.openProject(dir, true);
  return dir;
}

describe('failures during an import, through the app', () => {
  it('a source path that vanishes after the probe, before the pixels are read', async () => {
    const app = realApp();
    const dir = await open(app, 'vanish');
    const file = source('vanishing.tif', 1200, 900);
    // The row exists ('importing') once images.changed names it: the file goes right then.
    const stop = app.events.subscribe((event, payload) => {
      if (event === 'images.changed' && (payload as { imageId: number | null }).imageId !== null) unlinkSync(file);
    });
    const outcome = await app.importFile(file);
    stop();
    expect(outcome).toMatchObject({ ok: false, file: 'vanishing.tif' });
    expect(outcome.ok ? '' : outcome.error).toMatch(/"vanishing.tif" no longer exists \(it was moved or deleted\)/);
    expect(await ask(app, 'images.list', {})).toEqual([]);
    expect(tileStoreIds(dir)).toEqual([]);
    const [job] = await ask(app, 'jobs.list', {});
    expect(job).toMatchObject({ kind: 'import', status: 'failed' });
  });

  it('a disk that fills up while the tiles are written', async () => {
    const app = diskFullApp();
    const dir = await open(app, 'diskfull');
    const outcome = await app.importFile(source('big.tif', 1500, 1500));
    expect(outcome.ok ? '' : outcome.error).toMatch(/The disk is full: there is no space left to store the tiles of "big.tif"/);
    expect(await ask(app, 'images.list', {})).toEqual([]);
    expect(tileStoreIds(dir)).toEqual([]);
  });
});
