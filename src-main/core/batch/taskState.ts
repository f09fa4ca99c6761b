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
