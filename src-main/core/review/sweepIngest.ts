// Main's side of a sweep's journal: each finished crop becomes a sweep_crops row and its
// regions become suggestions, in one transaction per batch. A region that touches one of the
// run's suggestions (the same object cut by a crop border, or seen twice by overlapping crops)
// is merged into it: union of masks and boxes, the higher score. Suggestions that already
// carry a decision are never changed. Ingesting the same crop twice does nothing.
import type { JournalCrop } from '../ml/sweep/sweepJournal';
import type { ProjectStore } from '../project/projectStore';
import type { SweepRunRow, SweepRunsRepo } from '../project/sweepRunsRepo';
import { regionsTouch, unionRegions, type MaskRegion } from './maskRegion';
import { decodeMaskRle } from './maskRle';
import { suggestionRegion, type SuggestionWithRun } from './reviewItems';

export interface IngestOutcome {
  added: number[];
  updated: number[];
  removed: number[];
  crops: Array<{ col: number; row: number; score: number }>;
}

interface Scored extends MaskRegion {
  score: number;
}

export function ingestCrops(store: ProjectStore, runs: SweepRunsRepo, run: SweepRunRow, jobId: number | null, crops: readonly JournalCrop[]): IngestOutcome {
  const added = new Set<number>();
  const updated = new Set<number>();
  const removed = new Set<number>();
  const cells: IngestOutcome['crops'] = [];
  const getRow = store.db.prepare('SELECT * FROM suggestions WHERE id = ?');
  store.transaction(() => {
    for (const crop of crops) {
      if (!runs.recordCrop(run.id, { col: crop.col, row: crop.row, score: crop.score })) continue;
      cells.push({ col: crop.col, row: crop.row, score: crop.score ?? -1 });
      for (const r of crop.regions) {
        let region: Scored = { x: r.x, y: r.y, width: r.width, height: r.height, mask: decodeMaskRle(r.mask), score: r.score };
        const touching: Array<{ id: number; region: Scored }> = [];
        for (const id of runs.suggestionIdsNear(run.id, region, 1)) {
          if (runs.hasDecisions(id)) continue;
          const row = getRow.get(id) as SuggestionWithRun;
          const other = { ...suggestionRegion(row), score: row.score };
          if (regionsTouch(other, region)) touching.push({ id, region: other });
        }
        const [keep, ...rest] = touching;
        if (!keep) {
          added.add(runs.insertSuggestion(run, jobId, { ...region, mask: region.mask }));
          continue;
        }
        const merged = unionRegions([keep.region, ...rest.map((t) => t.region), region]);
        region = { ...merged, score: Math.max(region.score, keep.region.score, ...rest.map((t) => t.region.score)) };
        runs.updateSuggestion(keep.id, region);
        if (!added.has(keep.id)) updated.add(keep.id);
        for (const t of rest) {
          runs.deleteSuggestion(t.id);
          if (added.delete(t.id)) continue;
          updated.delete(t.id);
          removed.add(t.id);
        }
      }
    }
  });
  return { added: [...added], updated: [...updated], removed: [...removed], crops: cells };
}
