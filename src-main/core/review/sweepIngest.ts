// Main's side of a sweep's journal: each finished crop becomes a sweep_crops row and its
// regions become suggestions, in one transaction per batch. A region that is the same object as
// one of the run's suggestions is merged into it, keeping the suggestion's id (the review queue
// never jumps). What "the same object" is depends on the run's mask method:
//  - 'object': every mask is measured on a crop centred on its object, so two findings of one
//    object overlap nearly whole (sameObject); the merged suggestion keeps the better-scoring
//    mask as it is, a measurement, rather than a union that would grow it;
//  - 'reference': the EM mask of a grid crop, so an object cut by a crop border comes as parts
//    that touch: union of masks and boxes.
// Either way the higher score is kept. Suggestions that already carry a decision are never
// changed. Ingesting the same crop twice does nothing.
//
// Re-sweeps (a new run on an image reviewed before, typically with a retrained model) must not
// ask the expert twice about one object: a region touching an object the expert already
// judged (a decided suggestion of any run, or a region they added) is dropped, and a pending
// suggestion of an older run that the region touches is superseded (deleted) by the new one.
import type { JournalCrop } from '../ml/sweep/sweepJournal';
import type { ProjectStore } from '../project/projectStore';
import type { SweepRunRow, SweepRunsRepo } from '../project/sweepRunsRepo';
import type { MaskMethod } from '../ml/sweep/maskMethod';
import { regionsTouch, sameObject, unionRegions, type MaskRegion } from './maskRegion';
import { decodeMaskRle } from '../../../src-shared/maskRle';
import { reviewItemsOfImage, suggestionRegion } from './reviewItems';

export interface IngestOutcome {
  added: number[];
  updated: number[];
  removed: number[];
  /** Regions dropped because they touch an object the expert already judged. */
  known: number;
  crops: Array<{ col: number; row: number; score: number }>;
}

interface Scored extends MaskRegion {
  score: number;
}

/** How regions of a run are told apart and combined. */
interface MergePolicy {
  same: (a: MaskRegion, b: MaskRegion) => boolean;
  combine: (regions: readonly Scored[]) => Scored;
}

const bestScored = (regions: readonly Scored[]): Scored => regions.reduce((best, r) => (r.score > best.score ? r : best));

const MERGE_POLICIES: Record<MaskMethod, MergePolicy> = {
  object: { same: sameObject, combine: bestScored },
  reference: { same: regionsTouch, combine: (regions) => ({ ...unionRegions(regions), score: bestScored(regions).score }) },
};

interface PriorObjects {
  /**
   * Decided suggestions (any run), expert-added regions, and older suggestions with a decision
   * log (e.g. an undone accept: pending again, but never deleted, so the log stays whole).
   */
  judged: MaskRegion[];
  /** Pending suggestions of older runs, by id. */
  stalePending: Map<number, MaskRegion>;
}

function priorObjects(store: ProjectStore, runs: SweepRunsRepo, run: SweepRunRow): PriorObjects {
  const judged: MaskRegion[] = [];
  const stalePending = new Map<number, MaskRegion>();
  for (const item of reviewItemsOfImage(store, run.image_id)) {
    if (item.classId !== run.class_id) continue;
    const sameRunPending = item.kind === 'suggestion' && item.state === 'pending' && item.runId === run.id;
    if (sameRunPending) continue; // merged by the same-run rule below
    if (item.kind === 'annotation' || item.state !== 'pending' || runs.hasDecisions(item.id)) judged.push(item.region);
    else stalePending.set(item.id, item.region);
  }
  return { judged, stalePending };
}

export function ingestCrops(store: ProjectStore, runs: SweepRunsRepo, run: SweepRunRow, jobId: number | null, crops: readonly JournalCrop[]): IngestOutcome {
  const added = new Set<number>();
  const updated = new Set<number>();
  const removed = new Set<number>();
  const cells: IngestOutcome['crops'] = [];
  let known = 0;
  let prior: PriorObjects | null = null;
  const policy = MERGE_POLICIES[run.mask_method];
  store.transaction(() => {
    for (const crop of crops) {
      if (!runs.recordCrop(run.id, { col: crop.col, row: crop.row, score: crop.score })) continue;
      cells.push({ col: crop.col, row: crop.row, score: crop.score ?? -1 });
      for (const r of crop.regions) {
        let region: Scored = { x: r.x, y: r.y, width: r.width, height: r.height, mask: decodeMaskRle(r.mask), score: r.score };
        prior ??= priorObjects(store, runs, run);
        if (prior.judged.some((j) => policy.same(j, region))) {
          known++;
          continue;
        }
        for (const [id, stale] of prior.stalePending) {
          if (!policy.same(stale, region)) continue;
          runs.deleteSuggestion(id);
          prior.stalePending.delete(id);
          removed.add(id);
        }
        const touching: Array<{ id: number; region: Scored }> = [];
        for (const id of runs.suggestionIdsNear(run.id, region, 1)) {
          if (runs.hasDecisions(id)) continue;
          const row = store.suggestions.get(id)!;
          const other = { ...suggestionRegion(row), score: row.score };
          if (policy.same(other, region)) touching.push({ id, region: other });
        }
        const [keep, ...rest] = touching;
        if (!keep) {
          added.add(runs.insertSuggestion(run, jobId, { ...region, mask: region.mask }));
          continue;
        }
        region = policy.combine([keep.region, ...rest.map((t) => t.region), region]);
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
  return { added: [...added], updated: [...updated], removed: [...removed], known, crops: cells };
}
