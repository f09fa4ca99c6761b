// A sweep of many images as one batch, on the sweep service's public API: an image whose
// newest finished run used the same model (and class) is skipped unless `force`; the others go
// to startOrResume, which continues a cancelled or failed run of the same settings from its
// finished crops and queues a new run otherwise. An image with a run already queued or running
// (a batch started twice, a sweep of that image) is not swept twice: that run joins the batch.
// The runs then run one after another.
import type { ProjectStore } from '../project/projectStore';
import { resolveSweepModel, type SweepModelChoice } from './sweepModel';
import type { SweepRun, SweepService } from './sweepService';

export interface BatchSweepInput extends SweepModelChoice {
  imageIds: number[];
  force?: boolean | undefined;
}

export interface BatchSweep {
  runs: SweepRun[];
  resumedRunIds: number[];
  skipped: SweepRun[];
}

export async function startBatchSweep(store: ProjectStore, sweeps: SweepService, input: BatchSweepInput): Promise<BatchSweep> {
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
  if (toSweep.length === 0) return { runs: joined, resumedRunIds: [], skipped };
  // The model as resolved: a default model registered on the way is the same for every image.
  const started = await sweeps.startOrResume({ imageIds: toSweep, modelId: model.modelId, classIndex: model.classIndex }, true);
  return {
    runs: [...joined, ...started.map((s) => s.run)],
    resumedRunIds: started.filter((s) => s.resumedFromCrop !== null).map((s) => s.run.id),
    skipped,
  };
}

/** Cancels the runs, the queued ones first (last first), so that none starts while the others stop. */
export function cancelRuns(sweeps: SweepService, runIds: readonly number[]): number {
  const rows = runIds.map((id) => sweeps.runs.get(id)).filter((r) => r !== undefined && r !== null);
  const order = [...rows.filter((r) => r.status === 'queued').reverse(), ...rows.filter((r) => r.status === 'running')];
  let cancelled = 0;
  for (const r of order) if (sweeps.cancel(r.id)) cancelled++;
  return cancelled;
}
