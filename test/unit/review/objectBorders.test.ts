// One object, one suggestion, whatever the crop grid: objects lying in 1, 2 and 4 grid crops go
// through the object method (candidates from each positive crop's map, re-explained on centred
// crops, the job's ledger) and the ingestion into a real project, and come out as one suggestion
// each with a mask of the object's area — also when a resumed job (a fresh ledger) finds them again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScalarMap } from '../../../src-main/core/ml/explain/scalarMap';
import { objectsOfPositives, ObjectLedger, type ObjectExplainer, type PositiveCrop } from '../../../src-main/core/ml/sweep/objectSweep';
import { gridCrops, spreadOrder, sweepGrid } from '../../../src-main/core/ml/sweep/sweepGrid';
import type { JournalCrop } from '../../../src-main/core/ml/sweep/sweepJournal';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import type { SweepRunRow, SweepRunsRepo } from '../../../src-main/core/project/sweepRunsRepo';
import { maskArea } from '../../../src-main/core/review/maskRegion';
import { reviewItemsOfImage } from '../../../src-main/core/review/reviewItems';
import { ingestCrops } from '../../../src-main/core/review/sweepIngest';

const SIZE = 256;
const IMAGE = { width: 1024, height: 1024 };
/** A inside one crop, B across a vertical border (2 crops), C on a corner (4 crops). */
const OBJECTS = [
  { name: 'A', x: 128, y: 128, r: 40 },
  { name: 'B', x: 512, y: 140, r: 42 },
  { name: 'C', x: 768, y: 768, r: 48 },
];

/** The synthetic "network": a crop's map is 1 inside the objects it sees, 0 elsewhere. */
function mapOf(rect: { x: number; y: number }): ScalarMap {
  const data = new Float32Array(SIZE * SIZE);
  for (let j = 0; j < SIZE; j++)
    for (let i = 0; i < SIZE; i++)
      for (const o of OBJECTS) if ((rect.x + i - o.x) ** 2 + (rect.y + j - o.y) ** 2 <= o.r * o.r) data[j * SIZE + i] = 1;
  return { data, width: SIZE, height: SIZE };
}

const explainer: ObjectExplainer = {
  // The "input" carries the rectangle, so explain() can draw the map of what the crop sees.
  readInput: async (rect) => Float32Array.of(rect.x, rect.y),
  explain: async (inputs) => inputs.map((v) => ({ raw: mapOf({ x: v[0]!, y: v[1]! }), probability: 0.9 })),
};

/** Sweeps the grid as the job does (spread order, batches of 4, one ledger) into journal lines. */
async function sweepLines(ledger: ObjectLedger, only?: (c: { col: number; row: number }) => boolean): Promise<JournalCrop[]> {
  const crops = spreadOrder(gridCrops(sweepGrid(IMAGE.width, IMAGE.height, SIZE, SIZE), IMAGE.width, IMAGE.height)).filter((c) => !only || only(c));
  const lines: JournalCrop[] = [];
  for (let start = 0; start < crops.length; start += 4) {
    const batch = crops.slice(start, start + 4);
    const positives: PositiveCrop[] = batch.flatMap((c, index) => {
      const raw = mapOf(c);
      return raw.data.some((v) => v > 0) ? [{ index, place: { x: c.x, y: c.y, size: SIZE, validWidth: c.width, validHeight: c.height }, score: 0.9, map: raw }] : [];
    });
    const regions = await objectsOfPositives(explainer, positives, ledger, SIZE, IMAGE);
    batch.forEach((c, i) => lines.push({ col: c.col, row: c.row, score: positives.some((p) => p.index === i) ? 0.9 : 0.1, regions: regions.get(i) ?? [] }));
  }
  return lines;
}

describe('objects across crop borders', () => {
  let tmp: string;
  let store: ProjectStore;
  let runs: SweepRunsRepo;
  let run: SweepRunRow;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-borders-'));
    store = openProjectStore(path.join(tmp, 'p'), { create: true });
    const imageId = store.images.insertImporting({
      name: 'a.tif', width: IMAGE.width, height: IMAGE.height, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null,
    });
    store.db.prepare("UPDATE images SET status = 'ready' WHERE id = ?").run(imageId);
    const modelId = store.models.insert({ name: 'm', parentId: null, dir: 'models/m', origin: 'imported', status: 'ready', card: {} }).id;
    const classId = store.classes.create('Axon DAB', '#ff0000').id;
    runs = store.sweepRuns;
    run = runs.create({ imageId, modelId, classId, classIndex: 0, threshold: 0.5, cropSize: SIZE, stride: SIZE, cols: 4, rows: 4 });
  });
  afterEach(() => {
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function expectOneSuggestionPerObject(): void {
    const items = reviewItemsOfImage(store, run.image_id, run.id);
    expect(items).toHaveLength(OBJECTS.length);
    for (const o of OBJECTS) {
      // Bounds first: an index past the box's right edge would wrap into the next row.
      const holding = items.filter((s) => o.x >= s.region.x && o.y >= s.region.y && o.x < s.region.x + s.region.width && o.y < s.region.y + s.region.height && s.region.mask[(o.y - s.region.y) * s.region.width + (o.x - s.region.x)] === 1);
      expect(holding, o.name).toHaveLength(1);
      const truth = Math.PI * o.r * o.r;
      expect(Math.abs(maskArea(holding[0]!.region.mask) - truth) / truth, o.name).toBeLessThan(0.2);
    }
  }

  it('objects in 1, 2 and 4 crops are one suggestion each, with their area', async () => {
    const lines = await sweepLines(new ObjectLedger());
    // The job already keeps one region per object: B and C are measured once, not per crop.
    expect(lines.flatMap((l) => l.regions)).toHaveLength(OBJECTS.length);
    ingestCrops(store, runs, run, null, lines);
    expectOneSuggestionPerObject();
  });

  it('a resumed job (a fresh ledger) finding the objects again adds nothing', async () => {
    // The first job finished the left half of the grid (it sees A and B), the resumed one the
    // right half (B again, and C): B is measured by both and recognised as the same object.
    const first = await sweepLines(new ObjectLedger(), (c) => c.col < 2);
    ingestCrops(store, runs, run, null, first);
    const second = await sweepLines(new ObjectLedger(), (c) => c.col >= 2);
    expect(second.flatMap((l) => l.regions)).toHaveLength(2);
    const outcome = ingestCrops(store, runs, run, null, second);
    expect(outcome.added).toHaveLength(1);
    expect(outcome.updated).toHaveLength(1);
    expectOneSuggestionPerObject();
  });
});
