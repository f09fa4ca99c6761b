// `micra batch …`: whole studies on a Slurm cluster. The project keeps one writer: `plan` and
// `collect` open the project (on the desktop), `sweep-task` runs on the nodes and writes only
// into the job folder, `submit` and `status` read the job folder and ask Slurm.
//   micra batch plan --project DIR (--all | --image ID...) [--model ID|MANIFEST.json] [--stride N] [--mask object|reference] --out JOBDIR
//   micra batch sweep-task JOBDIR --index N [--workers N]
//   micra batch submit JOBDIR --slurm [--partition P] [--time HH:MM:SS] [--cpus-per-task C] [--gpus G] [--max-parallel K] [--dry-run] [--retry-failed]
//   micra batch status JOBDIR
//   micra batch collect JOBDIR --project DIR
// Results are JSON lines on stdout (submit prints the job id alone); progress goes to stderr.
import path from 'node:path';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { batchStatus } from '../../core/batch/batchStatus';
import { collectBatch } from '../../core/batch/collectBatch';
import { planBatch } from '../../core/batch/planBatch';
import { submitBatch } from '../../core/batch/submitBatch';
import { runSweepTask } from '../../core/batch/sweepTask';
import { MaskMethodSchema } from '../../core/ml/sweep/maskMethod';
import { openProjectStore, type ProjectStore } from '../../core/project/projectStore';
import { resolveUserPath } from '../../core/project/userPath';

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  plan: planCommand,
  'sweep-task': sweepTaskCommand,
  submit: submitCommand,
  status: statusCommand,
  collect: collectCommand,
};

export async function runBatchCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const sub = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!sub) throw new UsageError(`batch needs one of: ${Object.keys(SUBCOMMANDS).join(', ')}`);
  return sub(rest);
}

function oneJobDir(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give the job folder (JOBDIR) once');
  return path.resolve(positionals[0] as string);
}

const optionalInt = (v: string | boolean | undefined, flag: string) => (v === undefined ? undefined : nonNegativeInt(v, flag));

async function withProject<T>(dir: string, fn: (store: ProjectStore) => Promise<T>): Promise<T> {
  const store = openProjectStore(resolveUserPath(dir), { create: false });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

async function planCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    all: { type: 'boolean' },
    image: { type: 'string', multiple: true },
    model: { type: 'string' },
    stride: { type: 'string' },
    mask: { type: 'string' },
    out: { type: 'string' },
  });
  const images = values.image ?? [];
  if ((images.length > 0) === (values.all === true)) throw new UsageError('give either --all or --image ID (one or more)');
  const mask = values.mask === undefined ? undefined : MaskMethodSchema.safeParse(values.mask);
  if (mask && !mask.success) throw new UsageError('--mask must be object or reference');
  const out = requiredString(values.out, 'out');
  // --model: a model id of the project, or the path of a weights manifest.
  const model = values.model === undefined ? {} : /^\d+$/.test(values.model) ? { modelId: Number(values.model) } : { manifestPath: path.resolve(values.model) };
  const plan = await withProject(requiredString(values.project, 'project'), async (store) => {
    const imageIds = values.all ? store.images.listByStatus('ready').map((i) => i.id) : images.map((v) => nonNegativeInt(v, 'image'));
    if (imageIds.length === 0) throw new Error('the project has no ready image to plan');
    return planBatch(store, { ...model, imageIds, jobDir: out, stride: optionalInt(values.stride, 'stride'), maskMethod: mask?.data });
  });
  console.log(JSON.stringify({ plan: plan.id, jobDir: path.resolve(out), tasks: plan.images.length, tiles: plan.tiles }));
  for (const img of plan.images) console.log(JSON.stringify({ index: img.index, image: img.imageId, name: img.name, crops: img.cols * img.rows }));
  return 0;
}

async function sweepTaskCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { index: { type: 'string' }, workers: { type: 'string' } });
  const jobDir = oneJobDir(positionals);
  const index = nonNegativeInt(values.index, 'index');
  const workers = optionalInt(values.workers, 'workers');
  if (workers === 0) throw new UsageError('--workers must be at least 1');
  // scancel and time limits send SIGTERM (then SIGKILL): stop between batches, record why.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const outcome = await runSweepTask(jobDir, index, {
      workers,
      signal: stop.signal,
      progress: (done, total) => process.stderr.write(`task ${index}: ${done}/${total} crops\n`),
    });
    console.log(JSON.stringify({ index, image: outcome.imageId, status: 'done', fromCrop: outcome.fromCrop, crops: outcome.crops }));
    return 0;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

async function submitCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    slurm: { type: 'boolean' },
    partition: { type: 'string' },
    time: { type: 'string' },
    'cpus-per-task': { type: 'string' },
    gpus: { type: 'string' },
    'max-parallel': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'retry-failed': { type: 'boolean' },
  });
  if (values.slurm !== true) throw new UsageError('--slurm is required (Slurm is the scheduler micra submits to)');
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot tell how micra was started');
  const outcome = await submitBatch(oneJobDir(positionals), {
    // The nodes run micra as this process was run: same node, same flags, same entry (shared filesystem).
    micra: [process.execPath, ...process.execArgv, path.resolve(entry)],
    partition: values.partition,
    time: values.time,
    cpusPerTask: optionalInt(values['cpus-per-task'], 'cpus-per-task'),
    gpus: optionalInt(values.gpus, 'gpus'),
    maxParallel: optionalInt(values['max-parallel'], 'max-parallel'),
    dryRun: values['dry-run'],
    retryFailed: values['retry-failed'],
  });
  if (outcome.script === null) {
    console.error('nothing to submit: no task has failed');
    return 0;
  }
  console.error(`${outcome.jobId === null ? 'wrote' : 'submitted'} ${outcome.script} (tasks ${outcome.tasks.join(', ')})`);
  console.log(outcome.jobId ?? outcome.script);
  return 0;
}

async function statusCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const { tasks } = await batchStatus(oneJobDir(positionals));
  for (const t of tasks) console.log(JSON.stringify({ index: t.index, image: t.imageId, status: t.status, crops: t.crops, total: t.total, job: t.jobId, detail: t.detail }));
  const count = (s: string) => tasks.filter((t) => t.status === s).length;
  console.error(`${count('done')} done, ${count('running')} running, ${count('pending')} pending, ${count('failed')} failed, ${count('not-started')} not started`);
  return 0;
}

async function collectCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { project: { type: 'string' } });
  const jobDir = oneJobDir(positionals);
  const outcome = await withProject(requiredString(values.project, 'project'), (store) => collectBatch(store, jobDir));
  for (const c of outcome.collected) console.log(JSON.stringify({ index: c.index, image: c.imageId, status: 'collected', run: c.runId, suggestions: c.suggestions }));
  for (const a of outcome.already) console.log(JSON.stringify({ index: a.index, image: a.imageId, status: 'already-collected', run: a.runId }));
  for (const u of outcome.unfinished) {
    console.log(JSON.stringify({ index: u.index, image: u.imageId, status: 'unfinished', crops: u.crops, total: u.total, problem: u.problem }));
    console.error(`task ${u.index} (image ${u.imageId}): ${u.problem ?? `${u.crops} of ${u.total} crops`}; not collected (see micra batch status)`);
  }
  return 0;
}
