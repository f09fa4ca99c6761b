// Talking to Slurm: sbatch to submit, squeue for tasks still queued or running, sacct for how
// finished tasks ended (only where the cluster keeps accounting). The parsers are pure and
// tested on the formats Slurm prints; the commands run with execFile (no shell).
import { execFile } from 'node:child_process';

/** State of array tasks by job id, then task index (Slurm's state names: RUNNING, PENDING, FAILED…). */
export type TaskStates = Map<string, Map<number, string>>;

export function parseSbatchJobId(stdout: string): string {
  // --parsable prints "JOBID" or "JOBID;CLUSTER".
  const id = stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch answered "${stdout.trim()}", not a job id`);
  return id;
}

/** Task indexes of an array id's suffix: "4", or a pending block "[1-3,5%2]". */
function indexesOf(suffix: string): number[] {
  const m = /^\[([\d,-]+)(?:%\d+)?\]$/.exec(suffix);
  const list = m ? (m[1] as string) : suffix;
  const out: number[] = [];
  for (const part of list.split(',')) {
    const r = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!r) return [];
    const from = Number(r[1]);
    const to = r[2] === undefined ? from : Number(r[2]);
    for (let i = from; i <= to && out.length < 100_000; i++) out.push(i);
  }
  return out;
}

/** Lines "JOBID_TASK|STATE" (squeue -o '%i|%T', sacct -P -o JobID,State); other lines are ignored. */
export function parseTaskStates(stdout: string): TaskStates {
  const states: TaskStates = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^(\d+)_(\S+?)\|([A-Z_]+)/.exec(line.trim());
    if (!m) continue;
    const [, job, suffix, state] = m as unknown as [string, string, string, string];
    const byTask = states.get(job) ?? new Map<number, string>();
    for (const i of indexesOf(suffix)) byTask.set(i, state);
    states.set(job, byTask);
  }
  return states;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

export async function sbatch(script: string): Promise<string> {
  return parseSbatchJobId(await run('sbatch', ['--parsable', script]));
}

/** Array tasks of these jobs still in the queue; null when squeue cannot be asked. */
export async function queuedTasks(jobIds: readonly string[]): Promise<TaskStates | null> {
  if (jobIds.length === 0) return new Map();
  try {
    return parseTaskStates(await run('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i|%T']));
  } catch {
    return null;
  }
}

/** How the jobs' tasks ended, from accounting; null where the cluster keeps none. */
export async function accountedTasks(jobIds: readonly string[]): Promise<TaskStates | null> {
  if (jobIds.length === 0) return new Map();
  try {
    return parseTaskStates(await run('sacct', ['-n', '-P', '-X', '-j', jobIds.join(','), '-o', 'JobID,State']));
  } catch {
    return null;
  }
}
