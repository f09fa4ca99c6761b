// A sweep of many images as one batch, on the sweep service's public API: an image whose
// newest finished run used the same model (and class) is skipped unless `force`; the others go
// to startOrResume, which continues a cancelled or failed run of the same settings from its
// finished crops and queues a new run otherwise. An image with a run already queued or running
// (a batch started twice, a sweep of that image) is not swept twice: that run joins the batch.
// The runs then run one after another.
// The batch is kept in the project's settings (its run ids and pace), so a page that reloads or
// comes back to Review shows it again with its runs as they stand (currentBatch).
import { z } from 'zod';
import type { ProjectStore } from '../project/projectStore';
import { resolveSweepModel, type SweepModelChoice } from './sweepModel';
import type { SweepRun, SweepService } from './sweepService';

const BATCH_KEY = 'sweepBatch';

/** What the settings hold of the latest batch (read back as untrusted: a project file). */
const StoredBatchSchema = z.object({
  runIds: z.array(z.number().int().positive()),
  resumedRunIds: z.array(z.number().int().positive()),
  skippedRunIds: z.array(z.number().int().positive()),
  startedAt: z.number().nonnegative(),
  cropsDoneAtStart: z.number().int().nonnegative(),
});

export interface BatchSweepInput extends SweepModelChoice {
  imageIds: number[];
  force?: boolean | undefined;
}

export interface BatchSweep {
  runs: SweepRun[];
  resumedRunIds: number[];
  skipped: SweepRun[];
  /** ms since the epoch. */
  startedAt: number;
  cropsDoneAtStart: number;
}

function cropsDone(runs: readonly SweepRun[]): number {
  return runs.reduce((n, r) => n + (r.status === 'done' ? r.cols * r.rows : Math.min(r.cols * r.rows, r.cropsDone)), 0);
}

/** Records the batch as the project's latest, and answers it. */
function keep(store: ProjectStore, batch: Omit<BatchSweep, 'startedAt' | 'cropsDoneAtStart'>, now: number): BatchSweep {
  const kept: BatchSweep = { ...batch, startedAt: now, cropsDoneAtStart: cropsDone(batch.runs) };
  store.settings.set(BATCH_KEY, {
    runIds: kept.runs.map((r) => r.id),
    resumedRunIds: kept.resumedRunIds,
    skippedRunIds: kept.skipped.map((r) => r.id),
    startedAt: kept.startedAt,
    cropsDoneAtStart: kept.cropsDoneAtStart,
  } satisfies z.input<typeof StoredBatchSchema>);
  return kept;
}

/**
 * The project's latest batch with its runs as they stand now; null when none was started, or
 * what is stored is not a batch. Runs since removed (with their image) are left out.
 */
export function currentBatch(store: ProjectStore, sweeps: SweepService): BatchSweep | null {
  let stored: z.infer<typeof StoredBatchSchema>;
  try {
    const parsed = StoredBatchSchema.safeParse(store.settings.get(BATCH_KEY));
    if (!parsed.success) return null;
    stored = parsed.data;
  } catch {
    return null; // not JSON
  }
  const runsOf = (ids: readonly number[]) => ids.filter((id) => sweeps.runs.get(id)).map((id) => sweeps.summary(id));
  const runs = runsOf(stored.runIds);
  return {
    runs,
    resumedRunIds: stored.resumedRunIds.filter((id) => runs.some((r) => r.id === id)),
    skipped: runsOf(stored.skippedRunIds),
    startedAt: stored.startedAt,
    cropsDoneAtStart: stored.cropsDoneAtStart,
  };
}

export async function startBatchSweep(store: ProjectStore, sweeps: SweepService, input: BatchSweepInput, now = Date.now()): Promise<BatchSweep> {
  const model = await resolveSweepModel(store, input);
  const skipped: SweepRun[] = [];
  const toSweep: number[] = [];
  const joined: SweepRun[] = [];
  for (const imageId of input.imageIds) {
    const runs = sweeps.runs.listForImage(imageId);
    const open = runs.find((r) => r.status === 'queued' || r.status === 'running');
    if (open) {
      joined.push(sweeps.summary(open.id));
      continue;
    }
    const done = input.force
      ? undefined
      : runs.find((r) => r.status === 'done' && r.model_id === model.modelId && r.class_index === model.classIndex);
    if (done) skipped.push(sweeps.summary(done.id));
    else toSweep.push(imageId);
  }
  if (toSweep.length === 0) return keep(store, { runs: joined, resumedRunIds: [], skipped }, now);
  // The model as resolved: a default model registered on the way is the same for every image.
  const started = await sweeps.startOrResume({ imageIds: toSweep, modelId: model.modelId, classIndex: model.classIndex }, true);
  return keep(
    store,
    {
      runs: [...joined, ...started.map((s) => s.run)],
      resumedRunIds: started.filter((s) => s.resumedFromCrop !== null).map((s) => s.run.id),
      skipped,
    },
    now,
  );
}

/** Cancels the runs, the queued ones first (last first), so that none starts while the others stop. */
export function cancelRuns(sweeps: SweepService, runIds: readonly number[]): number {
  const rows = runIds.map((id) => sweeps.runs.get(id)).filter((r) => r !== undefined && r !== null);
  const order = [...rows.filter((r) => r.status === 'queued').reverse(), ...rows.filter((r) => r.status === 'running')];
  let cancelled = 0;
  for (const r of order) if (sweeps.cancel(r.id)) cancelled++;
  return cancelled;
}
