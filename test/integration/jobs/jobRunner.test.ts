import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/api/types';
import type { ComputeHost } from '../../../src-main/core/jobs/computeHost';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import { JobRunner, type StartedJob } from '../../../src-main/core/jobs/jobRunner';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { makeHost, waitFor, writeInputFile } from './computeHarness';
import type { JobParams } from '../../../src-main/core/jobs/jobKinds';
import type { DigestParams, DigestResult } from './fixtures/digestJob';

const CHUNK = 32 * 1024;

/** The fixture compute process runs its digest job under the 'tileStats' kind, with the digest's params. */
const runDigest = (runner: JobRunner, params: Partial<DigestParams>, opts?: { imageId?: number }): StartedJob =>
  runner.run('tileStats', params as unknown as JobParams<'tileStats'>, opts);

describe('JobRunner: jobs table + real compute process', () => {
  let tmp: string;
  let store: ProjectStore;
  let host: ComputeHost;
  let updates: JobSummary[];
  let listeners: Array<(job: JobSummary) => void>;
  let runner: JobRunner;
  let input: string;
  let expected: { sha256: string; histogram: number[] };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-runner-'));
    store = openProjectStore(path.join(tmp, 'proj'), { create: true });
    input = path.join(tmp, 'input.bin');
    expected = writeInputFile(input, 40 * CHUNK);
    host = makeHost();
    updates = [];
    listeners = [];
    runner = new JobRunner({
      jobs: store.jobs,
      host,
      onUpdate: (job) => {
        updates.push(job);
        for (const l of listeners) l(job);
      },
      progressWriteIntervalMs: 0,
    });
  });
  afterEach(() => {
    host.dispose();
    store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const onUpdate = (cb: (job: JobSummary) => void) => listeners.push(cb);
  const onUpdateAll = (job: JobSummary) => listeners.forEach((l) => l(job));

  it('records a job from queued to done, with progress in the row and in updates', async () => {
    const { jobId, result } = runDigest(runner, { path: input, chunkSize: CHUNK });
    const out = (await result) as DigestResult;
    expect(out.sha256).toBe(expected.sha256);
    expect(out.histogram).toEqual(expected.histogram);

    const mine = updates.filter((u) => u.id === jobId);
    expect(mine[0]?.status).toBe('queued');
    expect(mine[1]?.status).toBe('running');
    const progress = mine.filter((u) => u.status === 'running' && u.done > 0);
    expect(progress.map((u) => u.done)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(progress.every((u) => u.total === 40)).toBe(true);
    expect(mine.at(-1)).toMatchObject({ status: 'done', done: 40, total: 40, error: null, etaSeconds: null });
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'done', done: 40, total: 40, message: 'chunk 40 of 40', error: null });
  });

  it('cancels: the row ends cancelled and the result rejects', async () => {
    const { jobId, result } = runDigest(runner, {
      path: input,
      chunkSize: CHUNK,
      gateAfterChunk: 9,
      gatePath: path.join(tmp, 'never'),
    });
    await waitFor(onUpdate, (u) => u.id === jobId && u.done === 10);
    expect(store.jobs.get(jobId)?.done).toBe(10);
    expect(runner.cancel(jobId)).toBe(true);
    await expect(result).rejects.toBeInstanceOf(JobCancelledError);
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'cancelled', error: null, done: 10 });
    expect(updates.at(-1)).toMatchObject({ id: jobId, status: 'cancelled' });
    expect(runner.cancel(jobId)).toBe(false);
  });

  it('a SIGKILLed compute process fails its job with a crash message; the next job succeeds', async () => {
    const first = runDigest(runner, { path: input, chunkSize: CHUNK, gateAfterChunk: 4, gatePath: path.join(tmp, 'never') });
    await waitFor(onUpdate, (u) => u.id === first.jobId && u.done === 5);
    const pid = host.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid ?? 0, 'SIGKILL');
    await expect(first.result).rejects.toThrow('compute process crashed (signal SIGKILL)');
    expect(store.jobs.get(first.jobId)).toMatchObject({ status: 'failed', error: 'compute process crashed (signal SIGKILL)' });

    const second = runDigest(runner, { path: input, chunkSize: CHUNK });
    expect(((await second.result) as DigestResult).sha256).toBe(expected.sha256);
    expect(store.jobs.get(second.jobId)?.status).toBe('done');
    expect(host.pid).not.toBe(pid);
  });

  it('throttles progress writes but flushes the last progress when the job ends', async () => {
    const throttled = new JobRunner({ jobs: store.jobs, host, onUpdate: (j) => onUpdateAll(j), progressWriteIntervalMs: 60_000, now: () => 1_000 });
    const { jobId, result } = runDigest(throttled, { path: input, chunkSize: CHUNK, gateAfterChunk: 6, gatePath: path.join(tmp, 'never') });
    const live = await waitFor(onUpdate, (u) => u.id === jobId && u.done === 7);
    expect(live).toMatchObject({ status: 'running', total: 40 });
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'running', done: 0 }); // not written yet
    throttled.cancel(jobId);
    await result.catch(() => undefined);
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'cancelled', done: 7, total: 40, message: 'chunk 7 of 40' });
  });

  it('fails a job whose params the handler rejects, with the reason in the row', async () => {
    const { jobId, result } = runDigest(runner, { path: input }, { imageId: undefined });
    await expect(result).rejects.toThrow(/invalid parameters/);
    expect(store.jobs.get(jobId)?.error).toMatch(/invalid parameters for job 'tileStats'/);
  });

  it('at start, marks jobs a previous run left running as failed, and says so', () => {
    const stale = store.jobs.create('import', { file: 'a.tif' });
    store.jobs.markRunning(stale.id);
    const seen: JobSummary[] = [];
    new JobRunner({ jobs: store.jobs, host, onUpdate: (j) => seen.push(j) });
    expect(seen).toEqual([expect.objectContaining({ id: stale.id, status: 'failed', error: 'interrupted: the app or compute process stopped' })]);
    expect(store.jobs.get(stale.id)?.status).toBe('failed');
  });
});
