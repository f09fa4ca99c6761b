// results/<index>/task.json: what a task last said about itself — running (where, since when),
// done, or failed with the reason (an error, or the SIGTERM that scancel and time limits send).
// `batch status` uses it next to the journal and the scheduler; a task killed outright leaves
// 'running', which status then corrects from the scheduler or the process table.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { taskStatePath } from './jobFolder';

export const TaskStateSchema = z.object({
  state: z.enum(['running', 'done', 'failed']),
  host: z.string().max(256),
  pid: z.number().int().positive(),
  /** SLURM_JOB_ID of the array task when it ran under Slurm. */
  slurmJobId: z.string().max(64).nullable(),
  updatedAt: z.string().max(64),
  error: z.string().max(4000).nullable(),
});
export type TaskState = z.infer<typeof TaskStateSchema>;

/** The task's state file, or null when there is none or it is not valid (untrusted folder). */
export async function readTaskState(jobDir: string, index: number): Promise<TaskState | null> {
  try {
    const parsed = TaskStateSchema.safeParse(JSON.parse(await readFile(taskStatePath(jobDir, index), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written whole and renamed, so a reader never sees half a file. */
export async function writeTaskState(jobDir: string, index: number, state: TaskState): Promise<void> {
  const file = taskStatePath(jobDir, index);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state) + '\n');
  await rename(tmp, file);
}

/** Whether a process with this id runs on this machine (signal 0 only checks; EPERM: it exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why this process must not run the task now, or null: another live process on this machine
 * already runs it (two copies started by hand would both append to one journal). A 'running'
 * state left by a process on another node cannot be checked from here; `micra batch submit`
 * refuses while the scheduler still runs a task, and a killed task's record is stale.
 */
export function runningElsewhere(state: TaskState | null, here: { host: string; pid: number }): string | null {
  if (!state || state.state !== 'running' || state.host !== here.host || state.pid === here.pid) return null;
  return processAlive(state.pid) ? `process ${state.pid} on this machine is already running it` : null;
}
