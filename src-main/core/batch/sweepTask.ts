// One array task: sweeps image N of a plan into results/N/journal.jsonl with the sweep job
// itself (sweepJob.ts, grid mode, in this process), so the journal holds exactly the lines a
// local sweep of the image would stream. It never opens a project database. Run again after
// a kill, it verifies what the journal holds, cuts off a torn last line and sweeps only the
// crops not in it; a complete journal makes it a no-op.
import { mkdir, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { initBackend, isGpuBackend } from '../ml/backend';
import { SweepJobParamsSchema, sweepJobHandler, type SweepGridParams } from '../ml/sweep/sweepJob';
import { confinedProjectPath } from '../project/confinedPath';
import { planTask, readPlan, verifyTaskInputs } from './batchPlan';
import { modelManifestPath, taskDir, taskJournalPath } from './jobFolder';
import { isComplete, readTaskJournal } from './taskJournal';
import { readTaskState, runningElsewhere, writeTaskState, type TaskState } from './taskState';

export interface SweepTaskOptions {
  /** Engine workers; default: one on a GPU, else SLURM_CPUS_PER_TASK when set, else one per core. */
  workers?: number | undefined;
  /** Aborted on SIGTERM (scancel, time limit): the task stops between batches. */
  signal: AbortSignal;
  progress?: (done: number, total: number) => void;
}

export interface SweepTaskOutcome {
  imageId: number;
  /** Crops already in the journal when the task started (resumed from). */
  fromCrop: number;
  crops: number;
}

export async function runSweepTask(jobDir: string, index: number, opts: SweepTaskOptions): Promise<SweepTaskOutcome> {
  const root = path.resolve(jobDir);
  const plan = await readPlan(root);
  const image = planTask(plan, index);
  await mkdir(taskDir(root, index), { recursive: true });
  const busy = runningElsewhere(await readTaskState(root, index), { host: os.hostname(), pid: process.pid });
  if (busy) throw new Error(`task ${index} of ${root}: ${busy}; wait for it to end`);
  // The journal is appended to and truncated: never through a link planted in the shared folder.
  const journal = confinedProjectPath(root, path.relative(root, taskJournalPath(root, index)).split(path.sep).join('/'));
  const before = await readTaskJournal(journal, image);
  if (isComplete(before, image)) return { imageId: image.imageId, fromCrop: before.crops.length, crops: before.crops.length };
  if (before.tornTail) await truncate(journal, before.validBytes);

  const state = (s: TaskState['state'], error: string | null): Promise<void> =>
    writeTaskState(root, index, {
      state: s,
      host: os.hostname(),
      pid: process.pid,
      slurmJobId: process.env['SLURM_JOB_ID'] ?? null,
      updatedAt: new Date().toISOString(),
      error,
    });
  await state('running', null);
  try {
    await verifyTaskInputs(root, plan, image);
    const params: SweepGridParams = {
      mode: 'grid',
      projectDir: root,
      image: { id: image.imageId, width: image.width, height: image.height, bitsPerSample: image.bitsPerSample, channels: image.channels, tileSize: image.tileSize },
      weightsManifest: modelManifestPath(root),
      classIndex: plan.model.classIndex,
      maskMethod: plan.sweep.maskMethod,
      journal,
      threshold: plan.sweep.threshold,
      cropSize: plan.sweep.cropSize,
      stride: plan.sweep.stride,
      skip: before.crops.map((c) => [c.col, c.row] as [number, number]),
      ...(plan.sweep.backgroundStdDev !== undefined ? { backgroundStdDev: plan.sweep.backgroundStdDev } : {}),
    };
    // On a GPU the sweep job runs one engine feeding the device; on the CPU backends one per
    // core Slurm granted (the node's core count is not the allocation).
    const workers = opts.workers ?? (isGpuBackend((await initBackend()).name) ? undefined : slurmCpus());
    if (workers !== undefined) params.workers = workers;
    await sweepJobHandler.run(SweepJobParamsSchema.parse(params), { signal: opts.signal, progress: (done, total) => opts.progress?.(done, total) });
    const after = await readTaskJournal(journal, image);
    if (!isComplete(after, image)) throw new Error(`the sweep ended with ${after.crops.length} of ${image.cols * image.rows} crops in the journal`);
    await state('done', null);
    return { imageId: image.imageId, fromCrop: before.crops.length, crops: after.crops.length };
  } catch (err) {
    const why = opts.signal.aborted ? `stopped by a signal (${String(opts.signal.reason)})` : err instanceof Error ? err.message : String(err);
    await state('failed', why);
    throw err;
  }
}

function slurmCpus(): number | undefined {
  const n = Number(process.env['SLURM_CPUS_PER_TASK']);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
