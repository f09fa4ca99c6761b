// `micra batch submit --slurm`: writes the plan's sbatch array script into slurm/ (a new file
// per submission, so a retry never rewrites the script a running array reads), submits it and
// records the job id. --retry-failed submits only the tasks status finds failed; they resume
// their journals. --dry-run stops after writing the script.
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readPlan } from './batchPlan';
import { batchStatus } from './batchStatus';
import { slurmDir } from './jobFolder';
import { sbatchScript, type SbatchOptions } from './sbatchScript';
import { sbatch } from './slurmQueue';
import { recordSubmission } from './submissions';

export type SlurmResources = Pick<SbatchOptions, 'partition' | 'time' | 'cpusPerTask' | 'gpus' | 'maxParallel'>;

export interface SubmitOptions extends SlurmResources {
  /** How the nodes run micra: [node, ...its flags, absolute path of the micra entry]. */
  micra: readonly string[];
  dryRun?: boolean | undefined;
  retryFailed?: boolean | undefined;
}

export interface SubmitOutcome {
  tasks: number[];
  /** null when there was nothing to submit. */
  script: string | null;
  /** null for a dry run or nothing to submit. */
  jobId: string | null;
}

export async function submitBatch(jobDir: string, opts: SubmitOptions, submit: (script: string) => Promise<string> = sbatch): Promise<SubmitOutcome> {
  const root = path.resolve(jobDir);
  const plan = await readPlan(root);
  const { tasks: current } = await batchStatus(root);
  // Two processes appending to one journal would corrupt it: never submit a task still out.
  const out = current.filter((t) => t.status === 'pending' || t.status === 'running').map((t) => t.index);
  if (!opts.retryFailed && out.length > 0) throw new Error(`tasks ${out.join(', ')} are still queued or running; wait for them, or submit --retry-failed for the failed ones`);
  const tasks = opts.retryFailed ? current.filter((t) => t.status === 'failed').map((t) => t.index) : plan.images.map((i) => i.index);
  if (tasks.length === 0) return { tasks, script: null, jobId: null };
  const dir = slurmDir(root);
  const logDir = path.join(dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const text = sbatchScript({
    ...opts,
    jobName: `micra-${plan.id.slice(0, 8)}`,
    tasks,
    logDir,
    micra: opts.micra,
    jobDir: root,
  });
  const taken = (await readdir(dir)).filter((f) => /^submit-\d+\.sh$/.test(f)).length;
  const script = path.join(dir, `submit-${taken + 1}.sh`);
  await writeFile(script, text, { flag: 'wx' });
  await chmod(script, 0o755);
  if (opts.dryRun) return { tasks, script, jobId: null };
  const jobId = await submit(script);
  await recordSubmission(root, { jobId, tasks, script, at: new Date().toISOString() });
  return { tasks, script, jobId };
}
