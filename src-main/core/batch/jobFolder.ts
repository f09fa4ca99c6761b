// The layout of a batch job folder (`micra batch plan --out JOBDIR`). The folder is what a
// cluster node sees: it must hold everything a task needs, and nothing in it is trusted when it
// is read back (a job folder lives on a shared filesystem that other people and jobs can write).
//
//   plan.json                  the plan: settings, images, content hashes (batchPlan.ts)
//   model/                     the model's manifest.json and its .f32 arrays
//   tiles/<imageId>/0/…        level 0 of each image's tile store, hard-linked from the project
//   tiles/<imageId>/pyramid.json   (or copied when the job folder is on another filesystem)
//   results/<index>/journal.jsonl  the task's sweep journal, one line per finished crop
//   results/<index>/task.json      what the task last said about itself (taskState.ts)
//   slurm/submit-<n>.sh, slurm/submissions.jsonl, slurm/logs/   what `batch submit` did
import path from 'node:path';

export const PLAN_FILE = 'plan.json';
export const MODEL_DIR = 'model';
export const MODEL_MANIFEST = 'manifest.json';
export const SLURM_DIR = 'slurm';

export function planFile(jobDir: string): string {
  return path.join(jobDir, PLAN_FILE);
}

export function modelManifestPath(jobDir: string): string {
  return path.join(jobDir, MODEL_DIR, MODEL_MANIFEST);
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) throw new Error(`invalid task index: ${index}`);
}

export function taskDir(jobDir: string, index: number): string {
  checkIndex(index);
  return path.join(jobDir, 'results', String(index));
}

export function taskJournalPath(jobDir: string, index: number): string {
  return path.join(taskDir(jobDir, index), 'journal.jsonl');
}

export function taskStatePath(jobDir: string, index: number): string {
  return path.join(taskDir(jobDir, index), 'task.json');
}

export function slurmDir(jobDir: string): string {
  return path.join(jobDir, SLURM_DIR);
}
