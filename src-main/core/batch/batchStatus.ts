// `micra batch status`: where each task stands, from the job folder alone (its journal, its
// task.json, the submissions) and, when the scheduler can be asked, squeue (queued, running)
// and sacct (how it ended). A journal with every crop is done whatever else says; a submitted
// task that the queue no longer holds and whose journal is incomplete has failed (cancelled,
// timed out, killed): `submit --retry-failed` resubmits those and they resume their journals.
import os from 'node:os';
import path from 'node:path';
import { readPlan, type BatchPlan } from './batchPlan';
import { taskJournalPath } from './jobFolder';
import { accountedTasks, queuedTasks, type TaskStates } from './slurmQueue';
import { latestJobOfTask, readSubmissions } from './submissions';
import { isComplete, readTaskJournal } from './taskJournal';
import { processAlive, readTaskState, type TaskState } from './taskState';

export type TaskStatusName = 'done' | 'pending' | 'running' | 'failed' | 'not-started';

export interface TaskStatus {
  index: number;
  imageId: number;
  status: TaskStatusName;
  crops: number;
  total: number;
  /** The Slurm job that last ran the task, when submitted. */
  jobId: string | null;
  /** Why a task failed, or what the scheduler says. */
  detail: string | null;
}

export interface SchedulerView {
  queued: TaskStates | null;
  accounted: TaskStates | null;
}

export async function batchStatus(jobDir: string, ask: (jobIds: string[]) => Promise<SchedulerView> = askSlurm): Promise<{ plan: BatchPlan; tasks: TaskStatus[] }> {
  const root = path.resolve(jobDir);
  const plan = await readPlan(root);
  const latest = latestJobOfTask(await readSubmissions(root));
  const view = await ask([...new Set(latest.values())]);
  const tasks: TaskStatus[] = [];
  for (const image of plan.images) {
    const total = image.cols * image.rows;
    const jobId = latest.get(image.index) ?? null;
    const base = { index: image.index, imageId: image.imageId, total, jobId };
    let crops = 0;
    try {
      const journal = await readTaskJournal(taskJournalPath(root, image.index), image);
      crops = journal.crops.length;
      if (isComplete(journal, image)) {
        tasks.push({ ...base, status: 'done', crops, detail: null });
        continue;
      }
    } catch (err) {
      tasks.push({ ...base, status: 'failed', crops, detail: `invalid journal: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const state = await readTaskState(root, image.index);
    tasks.push({ ...base, crops, ...classify(jobId, image.index, view, state, crops) });
  }
  return { plan, tasks };
}

function classify(jobId: string | null, index: number, view: SchedulerView, state: TaskState | null, crops: number): { status: TaskStatusName; detail: string | null } {
  if (jobId !== null && view.queued !== null) {
    const queued = view.queued.get(jobId)?.get(index);
    if (queued === 'PENDING') return { status: 'pending', detail: null };
    if (queued !== undefined) return { status: 'running', detail: queued };
    const ended = view.accounted?.get(jobId)?.get(index);
    return { status: 'failed', detail: ended ?? state?.error ?? 'no longer queued, and its journal is incomplete' };
  }
  // No scheduler to ask (a task run by hand, or squeue missing): the task's own word.
  if (state === null) return crops > 0 ? { status: 'failed', detail: 'partial journal, no task record' } : { status: jobId ? 'pending' : 'not-started', detail: null };
  if (state.state === 'running') {
    if (state.host === os.hostname() && !processAlive(state.pid)) return { status: 'failed', detail: 'its process is gone' };
    return { status: 'running', detail: `on ${state.host}` };
  }
  return { status: 'failed', detail: state.error ?? 'ended before its journal was complete' };
}

async function askSlurm(jobIds: string[]): Promise<SchedulerView> {
  const queued = await queuedTasks(jobIds);
  return { queued, accounted: queued === null ? null : await accountedTasks(jobIds) };
}
