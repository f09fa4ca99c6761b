// Journal crops → suggestions in a real project database: regions cut by a crop border merge
// into one suggestion, decided suggestions are left alone, re-ingesting is a no-op; decisions
// become labelled crops for retraining.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import type { SweepRunRow, SweepRunsRepo } from '../../../src-main/core/project/sweepRunsRepo';
import { decisionsToCrops } from '../../../src-main/core/review/decisionsToCrops';
import { encodeMaskRle } from '../../../src-shared/maskRle';
import { decide, reviewQueue } from '../../../src-main/core/review/reviewService';
import { ingestCrops } from '../../../src-main/core/review/sweepIngest';

const full = (w: number, h: number) => encodeMaskRle(new Uint8Array(w * h).fill(1), w, h);

describe('sweep ingestion', () => {
  let tmp: string;
  let store: ProjectStore;
  let runs: SweepRunsRepo;
  let run: SweepRunRow;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-ingest-'));
    store = openProjectStore(path.join(tmp, 'p'), { create: true });
    const imageId = store.images.insertImporting({
      name: 'a.tif', width: 1024, height: 512, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null,
    });
    store.db.prepare("UPDATE images SET status = 'ready' WHERE id = ?").run(imageId);
    const modelId = store.models.insert({ name: 'm', parentId: null, dir: 'models/m', origin: 'imported', status: 'ready', card: {} }).id;
    const classId = store.classes.create('Axon DAB', '#ff0000').id;
    runs = store.sweepRuns;
    run = runs.create({ imageId, modelId, classId, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 2, maskMethod: 'reference' });
  });
  afterEach(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reference masks: merges the halves of an object cut by a crop border', () => {
    const left = ingestCrops(store, runs, run, null, [{ col: 0, row: 0, score: 0.8, regions: [{ x: 240, y: 100, width: 16, height: 20, score: 0.8, mask: full(16, 20) }] }]);
    expect(left.added).toHaveLength(1);
    const right = ingestCrops(store, runs, run, null, [
      { col: 1, row: 0, score: 0.9, regions: [{ x: 256, y: 110, width: 30, height: 20, score: 0.9, mask: full(30, 20) }, { x: 400, y: 10, width: 5, height: 5, score: 0.9, mask: full(5, 5) }] },
    ]);
    expect(right).toMatchObject({ updated: [left.added[0]], removed: [] });
    expect(right.added).toHaveLength(1);
    const merged = store.suggestions.get(left.added[0]!)!;
    expect(merged).toMatchObject({ x: 240, y: 100, width: 46, height: 30, score: 0.9 });
    expect(merged.mask!.reduce((s, v) => s + v, 0)).toBe(16 * 20 + 30 * 20);
    // The same crop again changes nothing.
    expect(ingestCrops(store, runs, run, null, [{ col: 1, row: 0, score: 0.9, regions: [] }])).toMatchObject({ added: [], crops: [] });
    expect(runs.crops(run.id)).toEqual([{ col: 0, row: 0, score: 0.8 }, { col: 1, row: 0, score: 0.9 }]);
  });

  it('never changes a decided suggestion: a touching region is known, not asked again; decisions become crops', () => {
    const first = ingestCrops(store, runs, run, null, [{ col: 0, row: 0, score: 0.8, regions: [{ x: 240, y: 100, width: 16, height: 20, score: 0.8, mask: full(16, 20) }] }]);
    decide(store, { suggestionId: first.added[0]!, action: 'accept', shownRect: { x: 0, y: 0, width: 512, height: 512 } });
    const second = ingestCrops(store, runs, run, null, [
      { col: 1, row: 0, score: 0.7, regions: [{ x: 256, y: 100, width: 10, height: 10, score: 0.7, mask: full(10, 10) }, { x: 300, y: 300, width: 10, height: 10, score: 0.7, mask: full(10, 10) }] },
    ]);
    expect(second).toMatchObject({ updated: [], removed: [], known: 1 });
    expect(second.added).toHaveLength(1);
    expect(store.suggestions.get(first.added[0]!)).toMatchObject({ x: 240, y: 100, width: 16, height: 20 });
    decide(store, { suggestionId: second.added[0]!, action: 'decline', shownRect: null });
    const queue = reviewQueue(store, run.image_id, 'score');
    expect(queue.map((i) => i.state)).toEqual(['accepted', 'declined']);

    const crops = decisionsToCrops(store, { cropSize: 256 });
    expect(crops).toEqual([
      expect.objectContaining({ label: 'present', x: 120, y: 0, width: 256, height: 256, source: expect.objectContaining({ kind: 'suggestion', id: first.added[0] }) }),
      expect.objectContaining({ label: 'absent', x: 177, y: 177, width: 256, height: 256, source: expect.objectContaining({ id: second.added[0] }) }),
    ]);
  });

  it('a re-sweep asks nothing twice: judged objects stay, pending ones of the older run are superseded', () => {
    const region = (x: number, y: number, score: number) => ({ x, y, width: 20, height: 20, score, mask: full(20, 20) });
    const old = ingestCrops(store, runs, run, null, [{ col: 0, row: 0, score: 0.9, regions: [region(10, 10, 0.9), region(100, 100, 0.8), region(200, 10, 0.7)] }]);
    const [accepted, declined, pending] = old.added as [number, number, number];
    decide(store, { suggestionId: accepted, action: 'accept', shownRect: null });
    decide(store, { suggestionId: declined, action: 'decline', shownRect: null });
    const rerun = runs.create({ imageId: run.image_id, modelId: run.model_id, classId: run.class_id, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 2 });
    const again = ingestCrops(store, runs, rerun, null, [
      { col: 0, row: 0, score: 0.95, regions: [region(12, 12, 0.95), region(105, 95, 0.9), region(205, 12, 0.85), region(600, 300, 0.6)] },
    ]);
    expect(again.known).toBe(2);
    expect(again.removed).toEqual([pending]);
    expect(again.added).toHaveLength(2);
    // (SQLite may hand the freed rowid to a new suggestion: only the two judged ones stay in the old run.)
    expect(store.db.prepare('SELECT id FROM suggestions WHERE sweep_run_id = ? ORDER BY id').all(run.id)).toEqual([{ id: accepted }, { id: declined }]);
    const states = reviewQueue(store, run.image_id, 'score').map((i) => [i.id, i.state]);
    expect(states).toHaveLength(4);
    expect(states).toEqual(expect.arrayContaining([[accepted, 'accepted'], [declined, 'declined'], [again.added[0], 'pending'], [again.added[1], 'pending']]));
  });

  it('object masks: two findings of one object are one suggestion with one measured mask; touching neighbours stay apart', () => {
    const objectRun = runs.create({ imageId: run.image_id, modelId: run.model_id, classId: run.class_id, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 2 });
    expect(objectRun.mask_method).toBe('object');
    const disc = (cx: number, cy: number, r: number, score: number) => {
      const size = 2 * r + 1;
      const mask = new Uint8Array(size * size);
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) mask[y * size + x] = (x - r) ** 2 + (y - r) ** 2 <= r * r ? 1 : 0;
      return { x: cx - r, y: cy - r, width: size, height: size, score, mask: encodeMaskRle(mask, size, size) };
    };
    // The object at (256, 100) straddles crops 0 and 1; each re-explained it on a centred crop,
    // so their masks nearly coincide. Its neighbour at (256 + 61, 100) touches it.
    const first = ingestCrops(store, runs, objectRun, null, [{ col: 0, row: 0, score: 0.8, regions: [disc(254, 100, 30, 0.8)] }]);
    const second = ingestCrops(store, runs, objectRun, null, [{ col: 1, row: 0, score: 0.9, regions: [disc(258, 101, 30, 0.9), disc(317, 100, 30, 0.7)] }]);
    expect(first.added).toHaveLength(1);
    expect(second.updated).toEqual(first.added);
    expect(second.added).toHaveLength(1);
    const merged = store.suggestions.get(first.added[0]!)!;
    // The better-scoring measurement as it is, not the union of both (which would grow the area).
    expect(merged).toMatchObject({ x: 228, y: 71, width: 61, height: 61, score: 0.9 });
    expect(merged.mask!.reduce((s, v) => s + v, 0)).toBe(2821);
    expect(store.db.prepare('SELECT count(*) AS n FROM suggestions WHERE sweep_run_id = ?').get(objectRun.id)).toEqual({ n: 2 });
  });
});
