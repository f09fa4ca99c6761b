// A finished sweep run with suggestions of known boxes and scores, stored as the sweep stores
// them (SweepRunsRepo), without running a model: the evaluation is about boxes and markers.
import type { ProjectStore } from '../../../src-main/core/project/projectStore';

export type SeedBox = { box: readonly [number, number, number, number]; score: number };

export function seedSweepRun(store: ProjectStore, imageId: number, threshold: number, boxes: readonly SeedBox[], status: 'done' | 'failed' = 'done'): number {
  const cls = store.classes.list()[0] ?? store.classes.create('marker', '#ffcc00');
  const model = store.models.list()[0] ?? store.models.insert({ name: 'seed', parentId: null, dir: 'models/seed', origin: 'imported', status: 'ready', card: {} });
  const runs = store.sweepRuns;
  const run = runs.create({ imageId, modelId: model.id, classId: cls.id, classIndex: 0, threshold, cropSize: 256, stride: 256, cols: 4, rows: 4 });
  for (const { box, score } of boxes) {
    const [x, y, width, height] = box;
    runs.insertSuggestion(run, null, { x, y, width, height, score, mask: new Uint8Array(width * height).fill(1) });
  }
  runs.finish(run.id, status, status === 'failed' ? 'seeded failure' : null);
  return run.id;
}
