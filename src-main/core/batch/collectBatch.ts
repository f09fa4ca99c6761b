// `micra batch collect`: brings finished tasks of a job folder into the project, each as a
// sweep run (status done) whose suggestions come from the task's journal through the same
// ingestion a local sweep uses (sweepIngest.ts). A task is collected once: its run, its
// suggestions and the batch_tasks mark are one transaction, so a second collect — or one after
// a crash — adds nothing. Each run gets the out-of-distribution warnings a local sweep would
// (sweepWarnings.ts). Unfinished, failed or invalid tasks are reported and left for later.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ProjectStore } from '../project/projectStore';
import type { ImageRow } from '../project/imagesRepo';
import { ingestCrops } from '../review/sweepIngest';
import { resolveSweepModel } from '../review/sweepModel';
import { imageIntensityHere, storeRunWarnings } from '../review/sweepWarnings';
import { readPlan, type BatchPlan, type PlanImage } from './batchPlan';
import { taskJournalPath } from './jobFolder';
import { isComplete, readTaskJournal } from './taskJournal';
import { readFile } from 'node:fs/promises';

export interface CollectOutcome {
  planId: string;
  collected: Array<{ index: number; imageId: number; runId: number; suggestions: number }>;
  /** Tasks an earlier collect brought in. */
  already: Array<{ index: number; imageId: number; runId: number | null }>;
  /** Tasks not complete (or whose journal is invalid): collect again once they are. */
  unfinished: Array<{ index: number; imageId: number; crops: number; total: number; problem: string | null }>;
}

export async function collectBatch(store: ProjectStore, jobDir: string): Promise<CollectOutcome> {
  const root = path.resolve(jobDir);
  const plan = await readPlan(root);
  const repo = store.batches;
  const rows = repo.tasks(plan.id);
  if (rows.length === 0) throw new Error(`the plan in ${root} (${plan.id}) was not made from this project`);
  checkAgainstProject(store, plan, rows.map((r) => r.image_id));
  const runs = store.sweepRuns;
  const { card } = await resolveSweepModel(store, { modelId: plan.model.projectModelId, classIndex: plan.model.classIndex });
  const outcome: CollectOutcome = { planId: plan.id, collected: [], already: [], unfinished: [] };
  for (const image of plan.images) {
    const row = rows[image.index];
    if (row?.collected_at) {
      outcome.already.push({ index: image.index, imageId: image.imageId, runId: row.sweep_run_id });
      continue;
    }
    const total = image.cols * image.rows;
    const file = taskJournalPath(root, image.index);
    let journal;
    try {
      journal = await readTaskJournal(file, image);
    } catch (err) {
      outcome.unfinished.push({ index: image.index, imageId: image.imageId, crops: 0, total, problem: err instanceof Error ? err.message : String(err) });
      continue;
    }
    if (!isComplete(journal, image)) {
      outcome.unfinished.push({ index: image.index, imageId: image.imageId, crops: journal.crops.length, total, problem: null });
      continue;
    }
    const bytes = (await readFile(file)).subarray(0, journal.validBytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    // The same out-of-distribution checks a local sweep gets, stored with the run.
    const intensity = await imageIntensityHere(store, store.images.get(image.imageId) as ImageRow);
    const runId = store.transaction(() => {
      const run = runs.create(newRun(plan, image));
      ingestCrops(store, runs, run, null, journal.crops);
      runs.finish(run.id, 'done', null);
      storeRunWarnings(runs, run.id, card, intensity);
      repo.markCollected(plan.id, image.index, run.id, sha);
      return run.id;
    });
    const suggestions = store.suggestions.countForSweepRun(runId);
    outcome.collected.push({ index: image.index, imageId: image.imageId, runId, suggestions });
  }
  return outcome;
}

/** The plan must still fit the project: same images (same size), model and class rows present. */
function checkAgainstProject(store: ProjectStore, plan: BatchPlan, recordedImageIds: number[]): void {
  if (recordedImageIds.length !== plan.images.length) throw new Error(`plan ${plan.id}: the project recorded ${recordedImageIds.length} tasks, the job folder has ${plan.images.length}`);
  for (const image of plan.images) {
    if (recordedImageIds[image.index] !== image.imageId) throw new Error(`plan ${plan.id}: task ${image.index} sweeps image ${image.imageId} in the job folder but ${recordedImageIds[image.index]} in the project`);
    const row = store.images.get(image.imageId);
    if (!row) throw new Error(`image ${image.imageId} (task ${image.index}) is no longer in the project`);
    if (row.width !== image.width || row.height !== image.height) throw new Error(`image ${image.imageId} is ${row.width}×${row.height} in the project, ${image.width}×${image.height} in the plan`);
  }
  if (!store.models.get(plan.model.projectModelId)) throw new Error(`model ${plan.model.projectModelId} of the plan is no longer in the project`);
  if (!store.classes.list().some((c) => c.id === plan.model.classId)) throw new Error(`class ${plan.model.classId} of the plan is no longer in the project`);
}

function newRun(plan: BatchPlan, image: PlanImage) {
  return {
    imageId: image.imageId,
    modelId: plan.model.projectModelId,
    classId: plan.model.classId,
    classIndex: plan.model.classIndex,
    threshold: plan.sweep.threshold,
    cropSize: plan.sweep.cropSize,
    stride: plan.sweep.stride,
    cols: image.cols,
    rows: image.rows,
    maskMethod: plan.sweep.maskMethod,
  };
}
