import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { ComputeCrashedError, ComputeJobError, type ComputeHost, type JobProgress } from '../../../src-main/core/jobs/computeHost';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import { makeHost, writeInputFile } from './computeHarness';
import type { DigestResult } from './fixtures/digestJob';

describe('ComputeHost with a real forked compute process', () => {
  let tmp: string;
  let input: string;
  let expected: { sha256: string; histogram: number[] };
  let host: ComputeHost | undefined;
  const CHUNK = 64 * 1024;
  const SIZE = 20 * CHUNK + 1234; // 21 chunks, the last one short

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-compute-'));
    input = path.join(tmp, 'input.bin');
    expected = writeInputFile(input, SIZE);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  afterEach(() => {
    host?.dispose();
    host = undefined;
  });

  it('runs a job to its correct result and reports progress per chunk', async () => {
    host = makeHost();
    const progress: JobProgress[] = [];
    const result = (await host.start(1, 'digest', { path: input, chunkSize: CHUNK }, (p) => progress.push(p))) as DigestResult;
    expect(result.sha256).toBe(expected.sha256);
    expect(result.histogram).toEqual(expected.histogram);
    expect(result.bytes).toBe(SIZE);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(progress.at(-1)).toEqual({ done: 21, total: 21, message: 'chunk 21 of 21' });
    expect(host.pid).toBeGreaterThan(0);
    expect(host.pid).not.toBe(process.pid);
  });

  it('runs several jobs at once in one process', async () => {
    host = makeHost();
    const other = path.join(tmp, 'other.bin');
    const expectedOther = writeInputFile(other, 3 * CHUNK, 999);
    const [a, b] = (await Promise.all([
      host.start(1, 'digest', { path: input, chunkSize: CHUNK }, () => undefined),
      host.start(2, 'digest', { path: other, chunkSize: 1000 }, () => undefined),
    ])) as [DigestResult, DigestResult];
    expect(a.sha256).toBe(expected.sha256);
    expect(b.sha256).toBe(expectedOther.sha256);
  });

  it('cancels a running job', async () => {
    host = makeHost();
    const h = host;
    let cancelled = false;
    const run = h.start(3, 'digest', { path: input, chunkSize: CHUNK, gateAfterChunk: 4, gatePath: path.join(tmp, 'never') }, (p) => {
      if (p.done === 5 && !cancelled) cancelled = h.cancel(3);
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    expect(cancelled).toBe(true);
    expect(h.cancel(3)).toBe(false);
    expect(h.runningJobIds).toEqual([]);
  });

  it('reports bad params, unknown kinds, and survives garbage from the process', async () => {
    const log: string[] = [];
    host = makeHost(log);
    await expect(host.start(4, 'digest', { path: input }, () => undefined)).rejects.toThrow(
      /invalid parameters for job 'digest'.*chunkSize/s,
    );
    await expect(host.start(5, 'nope', {}, () => undefined)).rejects.toThrow(ComputeJobError);
    await expect(host.start(6, 'digest', { path: path.join(tmp, 'missing.bin'), chunkSize: 10 }, () => undefined)).rejects.toThrow(
      /ENOENT/,
    );
    expect(await host.start(7, 'garbage', {}, () => undefined)).toBe('still fine');
    expect(log.filter((l) => l.includes('malformed message'))).toHaveLength(2);
  });

  it('fails the running job when the process is killed, then respawns for the next job', async () => {
    host = makeHost();
    const h = host;
    let killedPid = 0;
    const run = h.start(8, 'digest', { path: input, chunkSize: CHUNK, gateAfterChunk: 2, gatePath: path.join(tmp, 'never') }, (p) => {
      if (p.done === 3 && killedPid === 0 && h.pid) {
        killedPid = h.pid;
        process.kill(killedPid, 'SIGKILL');
      }
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComputeCrashedError);
    expect((err as ComputeCrashedError).signal).toBe('SIGKILL');
    expect((err as Error).message).toBe('compute process crashed (signal SIGKILL)');

    const again = (await h.start(9, 'digest', { path: input, chunkSize: CHUNK }, () => undefined)) as DigestResult;
    expect(again.sha256).toBe(expected.sha256);
    expect(h.pid).not.toBe(killedPid);
  });
});
