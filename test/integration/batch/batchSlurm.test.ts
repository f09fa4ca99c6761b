// A 3-image study through a real Slurm (one node, started by the test): plan, submit the array,
// cancel one task mid-way (scancel), status shows it failed, --retry-failed completes it, and
// the collected suggestions equal a local sweep of the same images; collecting again adds
// nothing. Needs root and Debian's slurm-wlm and munge (CI installs them).
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskJournalPath } from '../../../src-main/core/batch/jobFolder';
import { readJournal } from '../../../src-main/core/ml/sweep/sweepJournal';
import { REPO } from '../sweep/sweepKit';
import { FIXTURE_MODEL, makeStudy, query, suggestionsOf, sweepLocally, type Study } from './batchKit';
import { slurmUnavailable, startSlurm, type SlurmCluster } from './slurmCluster';

const CLI = path.join(REPO, 'src-main', 'cli', 'main.ts');
const unavailable = slurmUnavailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unavailable !== null)('micra batch on a Slurm cluster', () => {
  let study: Study;
  let slurm: SlurmCluster;
  let job: string;
  const started = Date.now();

  /** The micra command as a user runs it (submit derives the nodes' command from it). */
  const micra = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env: slurm.env, maxBuffer: 16 << 20 });
    return stdout;
  };
  const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const status = async () => jsonLines(await micra('batch', 'status', job)).map((t) => t['status']);
  const queueEmpty = () => execFileSync('squeue', ['-h'], { env: slurm.env, encoding: 'utf8' }).trim() === '';
  const until = async (ok: () => boolean | Promise<boolean>, what: string, ms = 600_000) => {
    for (const end = Date.now() + ms; !(await ok()); await sleep(500)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  };

  beforeAll(async () => {
    slurm = await startSlurm();
    study = await makeStudy([512, 768, 512], 47);
    job = path.join(study.tmp, 'job');
  }, 180_000);
  afterAll(async () => {
    await slurm?.stop();
    study?.cleanup();
    console.info(`batch Slurm test: ${((Date.now() - started) / 1000).toFixed(0)} s wall`);
  }, 120_000);

  it('runs the study as an array, retries the cancelled task and lands it like a local sweep', async () => {
    await micra('batch', 'plan', '--project', study.projectDir, '--all', '--model', FIXTURE_MODEL, '--out', job);
    const jobId = (await micra('batch', 'submit', job, '--slurm', '--cpus-per-task', '1', '--max-parallel', '2', '--time', '00:30:00')).trim();
    expect(jobId).toMatch(/^\d+$/);

    // Cancel task 1 (the 768² image, 9 crops) once it has swept some of its crops.
    const crops1 = async () => (await readJournal(taskJournalPath(job, 1))).crops.length;
    await until(async () => (await crops1()) > 0, 'task 1 to start sweeping');
    execFileSync('scancel', [`${jobId}_1`], { env: slurm.env });
    await until(queueEmpty, 'the array to end');
    expect(await crops1()).toBeLessThan(9);
    expect(await status()).toEqual(['done', 'failed', 'done']);

    const first = jsonLines(await micra('batch', 'collect', job, '--project', study.projectDir));
    expect(first.map((l) => [l['index'], l['status']])).toEqual([
      [0, 'collected'],
      [2, 'collected'],
      [1, 'unfinished'],
    ]);

    const retry = (await micra('batch', 'submit', job, '--slurm', '--retry-failed', '--cpus-per-task', '1')).trim();
    expect(retry).toMatch(/^\d+$/);
    expect(retry).not.toBe(jobId);
    await until(queueEmpty, 'the retry to end');
    expect(await status()).toEqual(['done', 'done', 'done']);
    // Resumed: the journal holds each crop once.
    const cells = (await readJournal(taskJournalPath(job, 1))).crops.map((c) => `${c.col},${c.row}`);
    expect(new Set(cells).size).toBe(9);
    expect(cells).toHaveLength(9);
    // Nothing left to retry.
    expect(await micra('batch', 'submit', job, '--slurm', '--retry-failed')).toBe('');

    const second = jsonLines(await micra('batch', 'collect', job, '--project', study.projectDir));
    expect(second.map((l) => [l['index'], l['status']])).toEqual([
      [1, 'collected'],
      [0, 'already-collected'],
      [2, 'already-collected'],
    ]);
    const collected = suggestionsOf(study.projectDir);
    await micra('batch', 'collect', job, '--project', study.projectDir);
    expect(suggestionsOf(study.projectDir)).toEqual(collected);
    expect(query(study.projectDir, 'SELECT count(*) AS n FROM sweep_runs')).toEqual([{ n: 3 }]);

    await sweepLocally(study.localDir, study.imageIds, 1);
    expect(collected.length).toBeGreaterThan(0);
    expect(collected).toEqual(suggestionsOf(study.localDir));
  }, 900_000);
});

if (unavailable !== null) console.warn(`batch Slurm test skipped: ${unavailable}`);
