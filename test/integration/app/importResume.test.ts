// An import cut short (the app crashed or quit mid-import) is finished at the next open when its
// source can still be read, and otherwise recorded as failed, saying why; a half-built pyramid is
// never shown as complete.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { readRegion } from '../../../src-main/core/imaging/regionReader';
import { partialTileDir } from '../../../src-main/core/imaging/tileStore';
import { openProjectStore } from '../../../src-main/core/project/projectStore';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { ask, ramp, realApp, tempDir, tileStoreIds } from './appTestKit';

const tmp = tempDir('micra-app-resume-');
const apps: MicraApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  tmp.cleanup();
});

const [W, H] = [1100, 700];

function source(name: string): string {
  const file = path.join(tmp.dir, name);
  writeTestTiff(file, [{ width: W, height: H, channels: 1, bits: 8, samples: ramp(W, H), rowsPerStrip: 32, compression: 'lzw' }]);
  return file;
}

async function expectComplete(dir: string, id: number): Promise<void> {
  const raster = await readRegion(dir, { id, width: W, height: H, bitsPerSample: 8, channels: 1, tileSize: 512 }, 0, { x: 0, y: 0, width: W, height: H });
  expect([...raster.data]).toEqual([...ramp(W, H)]);
  expect(existsSync(partialTileDir(dir, id))).toBe(false);
}

describe('interrupted imports at project open', () => {
  it('finishes the ones whose source is readable and records the others as failed', async () => {
    const dir = path.join(tmp.dir, 'crashed');
    const readable = source('readable.tif');
    // The state a crash leaves: rows still 'importing', one with a half-built pyramid.
    const store = openProjectStore(dir, { create: true });
    const row = (sourcePath: string) =>
      store.images.insertImporting({
        name: path.basename(sourcePath), width: W, height: H, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2,
        pixelSizeNm: null, sourcePath, contentHash: null,
      });
    const resumable = row(readable);
    const lost = row(path.join(tmp.dir, 'deleted-since.tif'));
    mkdirSync(path.join(partialTileDir(dir, resumable), '1'), { recursive: true });
    writeFileSync(path.join(partialTileDir(dir, resumable), '1', '0_0.raw'), Buffer.alloc(10));
    writeFileSync(path.join(partialTileDir(dir, resumable), '1.done'), '');
    store.close();

    const app = realApp();
    apps.push(app);
    await app.openProject(dir, false);
    await app.resumingImports;
    const images = await ask(app, 'images.list', {});
    expect(images.find((i) => i.id === resumable)).toMatchObject({ status: 'ready', notice: null });
    expect(images.find((i) => i.id === lost)).toMatchObject({ status: 'failed', sourceMissing: true });
    expect(images.find((i) => i.id === lost)?.notice).toMatch(/"deleted-since.tif" was interrupted, and its source file .* can no longer be read/);
    expect(tileStoreIds(dir)).toEqual([String(resumable)]);
    await expectComplete(dir, resumable);
    // The failed record goes when the user removes it.
    await ask(app, 'images.remove', { id: lost });
    expect((await ask(app, 'images.list', {})).map((i) => i.id)).toEqual([resumable]);
  });

  it('resumes an import that the closing of the project cut short', async () => {
    const dir = path.join(tmp.dir, 'closed');
    const app = realApp();
    apps.push(app);
    await app.openProject(dir, true);
    const stop = app.events.subscribe((event, payload) => {
      if (event === 'images.changed' && (payload as { imageId: number | null }).imageId !== null) void app.close();
    });
    const outcome = await app.importFile(source('cut-short.tif'));
    stop();
    expect(outcome.ok ? '' : outcome.error).toMatch(/resumes when the project is opened again/);

    await app.openProject(dir, false);
    const [pending] = await ask(app, 'images.list', {});
    expect(pending?.status).toBe('importing');
    await app.resumingImports;
    const [image] = await ask(app, 'images.list', {});
    expect(image).toMatchObject({ name: 'cut-short.tif', status: 'ready' });
    await expectComplete(dir, image!.id);
  });
});
