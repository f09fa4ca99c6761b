// A project folder from elsewhere is untrusted input. A crafted project.sqlite (and crafted links
// in the folder) must not make the app delete, read, serve or write a file outside the project:
// "remove image" leaves the victim alone, a source path leading out is never imported, tiles and
// thumbnails that are links are not served, a model folder leading out is not written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { setClassThreshold } from '../../../src-main/core/ml/training/modelRegistry';
import { completeModelCard } from '../../../src-main/core/ml/weights/modelCard';
import { imageTilesDir } from '../../../src-main/core/project/projectLayout';
import { openProjectStore } from '../../../src-main/core/project/projectStore';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { makeTempDir, removeDir } from '../../unit/project/tempProject';
import { ask } from '../app/appTestKit';

const tmp = makeTempDir('micra-crafted-');
afterAll(() => removeDir(tmp));
let app: MicraApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

let projects = 0;
/** A project whose images rows are written as a crafted project.sqlite would hold them. */
function craftedProject(rows: Array<{ sourcePath: string; status: 'ready' | 'importing' }>): { dir: string; ids: number[] } {
  const dir = path.join(tmp, `project-${++projects}`);
  const store = openProjectStore(dir, { create: true });
  const ids = rows.map(({ sourcePath, status }) => {
    const id = store.images.insertImporting({
      name: path.basename(sourcePath), width: 64, height: 32, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1,
      pixelSizeNm: null, sourcePath, contentHash: null,
    });
    if (status === 'ready') store.images.markReady(id);
    return id;
  });
  store.close();
  return { dir, ids };
}

function victim(name: string, text = 'do not touch'): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

async function openApp(dir: string): Promise<MicraApp> {
  app = createNodeApp('serve');
  await app.openProject(dir, false);
  await app.resumingImports;
  return app;
}

async function remove(opened: MicraApp, id: number): Promise<void> {
  expect(await ask(opened, 'images.remove', { id })).toEqual({ removed: id });
}

describe('stored paths are confined to the project', () => {
  it('"remove image" does not delete a file that a source path leads out to', async () => {
    const dotDot = victim('victim.txt');
    const absolute = victim('absolute.txt');
    const linked = victim('linked.txt');
    const { dir, ids } = craftedProject([
      { sourcePath: 'sources/../../victim.txt', status: 'ready' },
      { sourcePath: absolute, status: 'ready' },
      { sourcePath: 'sources/link.tif', status: 'ready' },
      { sourcePath: 'sources/../project.sqlite', status: 'ready' },
    ]);
    fs.symlinkSync(linked, path.join(dir, 'sources', 'link.tif'));
    const opened = await openApp(dir);
    // A path leading out is not even looked at: it shows as a missing source.
    expect((await ask(opened, 'images.get', { id: ids[0]! })).sourceMissing).toBe(true);
    for (const id of ids) await remove(opened, id);
    expect(fs.readFileSync(dotDot, 'utf8')).toBe('do not touch');
    expect(fs.readFileSync(absolute, 'utf8')).toBe('do not touch');
    expect(fs.readFileSync(linked, 'utf8')).toBe('do not touch');
    expect(fs.existsSync(path.join(dir, 'project.sqlite'))).toBe(true);
    expect(await ask(opened, 'images.list', {})).toEqual([]);
  });

  it('an interrupted import whose source path leads out is not resumed from that file', async () => {
    const outsideTiff = path.join(tmp, 'outside.tif');
    writeTestTiff(outsideTiff, [{ width: 64, height: 32, channels: 1, bits: 8, samples: new Uint8Array(64 * 32).fill(7) }]);
    const { dir, ids } = craftedProject([{ sourcePath: '../outside.tif', status: 'importing' }]);
    const opened = await openApp(dir);
    const image = await ask(opened, 'images.get', { id: ids[0]! });
    expect(image).toMatchObject({ status: 'failed', sourceMissing: true });
    expect(image.notice).toMatch(/leads out of the project folder/);
    expect(fs.existsSync(imageTilesDir(dir, ids[0]!))).toBe(false);
  });

  it('a model folder that leads out of the project is not written to', async () => {
    const elsewhere = path.join(tmp, 'elsewhere-model');
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'manifest.json'), '{"arrays":{}}');
    const { dir } = craftedProject([]);
    const store = openProjectStore(dir, { create: false });
    try {
      const model = store.models.insert({
        name: 'crafted', parentId: null, dir: '../elsewhere-model', origin: 'trained', status: 'ready',
        card: completeModelCard({}, { inChannels: 1, numClasses: 1, trainSize: undefined }),
      });
      await expect(setClassThreshold(store, model.id, 0, 0.9)).rejects.toThrow(/leads out of the project folder/);
      expect(fs.readFileSync(path.join(elsewhere, 'manifest.json'), 'utf8')).toBe('{"arrays":{}}');
    } finally {
      store.close();
    }
  });
});

describe('links are never followed out of the project', () => {
  it('a project whose tiles folder links out is refused before anything is cleaned up in it', async () => {
    const { dir } = craftedProject([]);
    const elsewhere = path.join(tmp, 'users-folder');
    fs.mkdirSync(path.join(elsewhere, '1.partial'), { recursive: true });
    fs.writeFileSync(path.join(elsewhere, '1.partial', 'precious.txt'), 'keep');
    fs.rmSync(path.join(dir, 'tiles'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(dir, 'tiles'));
    app = createNodeApp('serve');
    await expect(app.openProject(dir, false)).rejects.toThrow(/"tiles", which is a link out of the project folder/);
    expect(fs.readFileSync(path.join(elsewhere, '1.partial', 'precious.txt'), 'utf8')).toBe('keep');
  });

  it('a tile or thumbnail that is a link, or a tile folder that links out, is not served', async () => {
    const secret = victim('secret.txt', 'root:x:0:0');
    const { dir, ids } = craftedProject([{ sourcePath: 'sources/none.tif', status: 'ready' }]);
    const id = ids[0]!;
    const tiles = imageTilesDir(dir, id);
    fs.mkdirSync(path.join(tiles, '0'), { recursive: true });
    fs.symlinkSync(secret, path.join(tiles, '0', '0_0.raw'));
    fs.symlinkSync(secret, path.join(tiles, 'thumbnail.png'));
    const opened = await openApp(dir);
    expect(await opened.readTile({ kind: 'tile', imageId: id, level: 0, col: 0, row: 0 })).toBeNull();
    expect(await opened.readTile({ kind: 'thumbnail', imageId: id })).toBeNull();

    // The whole pyramid folder a link to a folder outside holding the same names.
    const outsideTiles = path.join(tmp, 'outside-tiles');
    fs.mkdirSync(path.join(outsideTiles, '0'), { recursive: true });
    fs.writeFileSync(path.join(outsideTiles, '0', '0_0.raw'), 'root:x:0:0');
    fs.writeFileSync(path.join(outsideTiles, 'thumbnail.png'), 'root:x:0:0');
    fs.rmSync(tiles, { recursive: true });
    fs.symlinkSync(outsideTiles, tiles);
    expect(await opened.readTile({ kind: 'tile', imageId: id, level: 0, col: 0, row: 0 })).toBeNull();
    expect(await opened.readTile({ kind: 'thumbnail', imageId: id })).toBeNull();
    // A real tile in place is served, so the nulls above are refusals, not a broken reader.
    fs.rmSync(tiles);
    fs.mkdirSync(path.join(tiles, '0'), { recursive: true });
    fs.writeFileSync(path.join(tiles, '0', '0_0.raw'), Buffer.from([5, 6]));
    expect([...((await opened.readTile({ kind: 'tile', imageId: id, level: 0, col: 0, row: 0 }))?.bytes ?? [])]).toEqual([5, 6]);
  });
});
