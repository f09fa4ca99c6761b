// The script `micra batch submit --slurm` hands to sbatch: one array job, one task per image of
// the plan (or the listed tasks, for --retry-failed), each running `micra batch sweep-task` with
// its SLURM_ARRAY_TASK_ID. Pure: options in, text out, every value checked before it reaches
// the script (a partition name or a path must never become shell code).

export interface SbatchOptions {
  jobName: string;
  /** Task indexes to run; written as Slurm's array spec (ranges where contiguous). */
  tasks: readonly number[];
  /** At most this many tasks at once (`%K`). */
  maxParallel?: number | undefined;
  partition?: string | undefined;
  /** HH:MM:SS, MM:SS or D-HH:MM:SS. */
  time?: string | undefined;
  cpusPerTask?: number | undefined;
  gpus?: number | undefined;
  /** Where each task's output goes (`%A` job id, `%a` task index are Slurm's). */
  logDir: string;
  /** The command that runs micra on the nodes: node, its flags, the micra entry (absolute paths). */
  micra: readonly string[];
  jobDir: string;
}

const NAME = /^[A-Za-z0-9_.,+-]+$/;
const TIME = /^(\d+-)?(\d{1,2}:)?\d{1,2}:\d{2}$/;

export function arraySpec(tasks: readonly number[]): string {
  if (tasks.length === 0) throw new Error('no task to submit');
  const sorted = [...new Set(tasks)].sort((a, b) => a - b);
  for (const t of sorted) if (!Number.isSafeInteger(t) || t < 0) throw new Error(`invalid task index ${t}`);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** A word for bash, single-quoted (a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  if (word.includes('\0') || word.includes('\n')) throw new Error('a path with a newline or NUL byte cannot go into a job script');
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function positive(value: number | undefined, flag: string): number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new Error(`--${flag} must be a positive integer`);
  return value;
}

export function sbatchScript(o: SbatchOptions): string {
  if (!NAME.test(o.jobName)) throw new Error(`invalid job name "${o.jobName}"`);
  if (o.partition !== undefined && !NAME.test(o.partition)) throw new Error(`invalid partition "${o.partition}"`);
  if (o.time !== undefined && !TIME.test(o.time)) throw new Error(`--time must be HH:MM:SS (or D-HH:MM:SS), not "${o.time}"`);
  const max = positive(o.maxParallel, 'max-parallel');
  const cpus = positive(o.cpusPerTask, 'cpus-per-task');
  const gpus = positive(o.gpus, 'gpus');
  if (o.micra.length === 0) throw new Error('no micra command');
  // #SBATCH lines are not shell: a path there cannot be quoted, so it must have no space.
  if (/\s/.test(o.logDir)) throw new Error(`the job folder's path must not contain spaces for Slurm's --output: ${o.logDir}`);
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName}`,
    `#SBATCH --array=${arraySpec(o.tasks)}${max !== undefined ? `%${max}` : ''}`,
    `#SBATCH --output=${o.logDir}/task-%A_%a.out`,
    '#SBATCH --ntasks=1',
  ];
  if (o.partition !== undefined) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.time !== undefined) lines.push(`#SBATCH --time=${o.time}`);
  if (cpus !== undefined) lines.push(`#SBATCH --cpus-per-task=${cpus}`);
  if (gpus !== undefined) lines.push(`#SBATCH --gpus=${gpus}`);
  lines.push(
    '# Written by `micra batch submit`: each array task sweeps one image of the plan into',
    '# results/$SLURM_ARRAY_TASK_ID/ (resumable; a done task does nothing).',
    'set -euo pipefail',
    `exec ${[...o.micra, 'batch', 'sweep-task', o.jobDir].map(shellQuote).join(' ')} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  );
  return lines.join('\n');
}
