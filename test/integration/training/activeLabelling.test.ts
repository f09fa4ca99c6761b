// Active labelling through the app, as the renderer asks for it: a synthetic SEM image with
// markers imported through the app; crops.score starts the 'cropScores' job in the real compute
// process (the default model), which reports progress and leaves the scores in the project's
// cache; crops.grid then shows likely positives first — the first crop holds a marker and scores
// fall along the page — or the most uncertain first; a second crops.score finds the cache; and
// a label made on an ordered page is the same record the raster grid shows; removing the image
// deletes its cached scores.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/api/types';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { cropScoresPath } from '../../../src-main/core/ml/dataset/cropOrder';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { ask, realApp, tempDir } from '../app/appTestKit';

const W = 1024;
const H = 768;
let app: MicraApp;
let tmp: { dir: string; cleanup: () => void };
let imageId: number;
let tile: ReturnType<typeof generateSemTile>;
const updates: JobSummary[] = [];

beforeAll(async () => {
  tmp = tempDir('micra-active-labelling-');
  tile = generateSemTile({ width: W, height: H, seed: 11, markerCount: 3 });
  const tiff = path.join(tmp.dir, 'sem.tif');
  await writeSemTiff(tiff, tile);
  app = realApp();
  app.events.subscribe((event, payload) => {
    if (event === 'job.updated') updates.push(payload as JobSummary);
  });
  await app.openProject(path.join(tmp.dir, 'project'), true);
  const outcome = await app.importFile(tiff);
  if (!outcome.ok) throw new Error(outcome.error);
  imageId = outcome.image.id;
}, 120_000);

afterAll(async () => {
  await app?.close();
  tmp?.cleanup();
});

async function settled(jobId: number): Promise<JobSummary> {
  for (;;) {
    const last = updates.filter((u) => u.id === jobId).at(-1);
    if (last && (last.status === 'done' || last.status === 'failed' || last.status === 'cancelled')) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const holdsMarker = (c: { x: number; y: number; size: number }) => tile.markers.some((m) => m.cx >= c.x && m.cx < c.x + c.size && m.cy >= c.y && m.cy < c.y + c.size);

describe('active labelling', () => {
  it('scores the grid in a job, then orders it likely positives first or most uncertain first', async () => {
    const started = await ask(app, 'crops.score', { imageId, cropSize: 256 });
    expect(started.cached).toBe(false);
    expect(started.jobId).not.toBeNull();
    const job = await settled(started.jobId!);
    expect(job).toMatchObject({ kind: 'cropScores', status: 'done', imageId });
    expect(updates.some((u) => u.id === started.jobId && u.status === 'running' && u.total === 12)).toBe(true);
    expect(fs.existsSync(cropScoresPath(app.requireProject().store.dir, imageId, started.modelId, 256))).toBe(true);

    const raster = await ask(app, 'crops.grid', { imageId, cropSize: 256, offset: 0, limit: 100, hideBackground: false, order: 'raster' });
    expect(raster.crops.map((c) => c.index)).toEqual([...Array(12).keys()]);
    const likely = await ask(app, 'crops.grid', { imageId, cropSize: 256, offset: 0, limit: 100, hideBackground: false, order: 'likely' });
    expect(likely).toMatchObject({ order: 'likely', orderModelId: started.modelId, total: 12 });
    const s = likely.crops.map((c) => c.score ?? -1);
    expect(s).toEqual([...s].sort((a, b) => b - a));
    // The model's most likely crop holds a marker, and so does every crop it scores positive first.
    expect(holdsMarker(likely.crops[0]!)).toBe(true);
    expect(new Set(likely.crops.map((c) => c.index))).toEqual(new Set(raster.crops.map((c) => c.index)));

    const uncertain = await ask(app, 'crops.grid', { imageId, cropSize: 256, offset: 0, limit: 100, hideBackground: false, order: 'uncertain' });
    const card = app.requireProject().store.models.get(started.modelId)!.card as { classThresholds: number[] };
    const t = card.classThresholds[0]!;
    const d = uncertain.crops.filter((c) => c.score !== null).map((c) => Math.abs(c.score! - t));
    expect(d).toEqual([...d].sort((a, b) => a - b));

    // Paging follows the order.
    const second = await ask(app, 'crops.grid', { imageId, cropSize: 256, offset: 4, limit: 4, hideBackground: false, order: 'likely' });
    expect(second.crops.map((c) => c.index)).toEqual(likely.crops.slice(4, 8).map((c) => c.index));
  }, 300_000);

  it('finds the cache the second time, and a label on an ordered page is the grid\'s record', async () => {
    const again = await ask(app, 'crops.score', { imageId, cropSize: 256 });
    expect(again).toMatchObject({ cached: true, jobId: null });
    const likely = await ask(app, 'crops.grid', { imageId, cropSize: 256, offset: 0, limit: 1, hideBackground: false, order: 'likely' });
    const top = likely.crops[0]!;
    const cls = await ask(app, 'classes.create', { name: 'Axon' });
    const labelled = await ask(app, 'crops.label', { imageId, x: top.x, y: top.y, size: 256, classId: cls.id, value: 'present' });
    const raster = await ask(app, 'crops.grid', { imageId, cropSize: 256, offset: 0, limit: 100, hideBackground: false, order: 'raster' });
    const same = raster.crops.find((c) => c.index === top.index)!;
    expect(same).toMatchObject({ cropId: labelled.cropId, labels: [{ classId: cls.id, value: 'present' }] });
    // A grid of another crop size than the model's is refused with the reason.
    await expect(ask(app, 'crops.score', { imageId, cropSize: 128 })).rejects.toThrow(/the active model takes 256² crops/);
  }, 120_000);

  it("cleans scores of images the project no longer has on read, and removes the image's with the image", async () => {
    const store = app.requireProject().store;
    const { modelId } = await ask(app, 'crops.score', { imageId, cropSize: 256 });
    const file = cropScoresPath(store.dir, imageId, modelId, 256);
    // Left by an image removed without cleaning up: deleted when the cache is next read.
    const ghost = cropScoresPath(store.dir, imageId + 1, modelId, 256);
    fs.copyFileSync(file, ghost);
    expect(await ask(app, 'crops.score', { imageId, cropSize: 256 })).toMatchObject({ cached: true });
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    await ask(app, 'images.remove', { id: imageId });
    expect(fs.existsSync(file)).toBe(false);
  }, 60_000);
});
