// The batch sweep's page side against a fake MicraApi: one progress and ETA over the batch's
// runs as sweep.run and job.updated arrive, one Cancel for the runs still open, what a resume
// reports (skipped, resumed), and main's batch found again on load or started elsewhere.
import { describe, expect, it } from 'vitest';
import { BatchSweepState, batchProgress, batchStatus, type BatchSnapshot } from '../../../src-renderer/review/batchSweepState';
import type { SweepRun } from '../../../src-renderer/review/reviewTypes';
import { FakeApi, settle } from './support/fakeApi';

function run(id: number, imageId: number, crops: number, status: SweepRun['status'], cropsDone = 0, jobId: number | null = null): SweepRun {
  return { id, imageId, modelId: 1, classId: 1, status, jobId, cropSize: 256, stride: 256, cols: crops, rows: 1, cropsDone, suggestions: 0, maskMethod: 'object', screen: false, screenNotice: null, warnings: [], error: null };
}

const job = (id: number, imageId: number, done: number, total: number) => ({ id, kind: 'sweep' as const, status: 'running' as const, done, total, etaSeconds: null, message: null, error: null, imageId });

describe('batch progress', () => {
  it('adds the crops of every run, counts finished runs whole, and paces the ETA on work done since the start', () => {
    const runs = [run(1, 1, 4, 'done', 4), run(2, 2, 16, 'running', 6), run(3, 3, 10, 'queued')];
    const p = batchProgress(runs, { at: 0, done: 2 }, 8000);
    expect(p.done).toBe(10);
    expect(p.total).toBe(30);
    // 8 crops in 8 s: 20 left take 20 s.
    expect(p.etaSeconds).toBeCloseTo(20, 6);
    expect(batchProgress(runs, { at: 0, done: 10 }, 8000).etaSeconds).toBeNull();
    expect(batchStatus(runs)).toBe('running');
    expect(batchStatus([run(1, 1, 4, 'done'), run(2, 2, 4, 'cancelled')])).toBe('cancelled');
    expect(batchStatus([run(1, 1, 4, 'done'), run(2, 2, 4, 'failed')])).toBe('failed');
    expect(batchStatus([run(1, 1, 4, 'done')])).toBe('done');
  });
});

describe('BatchSweepState', () => {
  it('follows its runs, cancels those still open with one request, and reports a resume', async () => {
    let clock = 0;
    const api = new FakeApi()
      .handle('sweep.batch', () => ({ runs: [run(1, 1, 4, 'queued'), run(2, 2, 16, 'queued')], resumedRunIds: [], skipped: [], startedAt: 0, cropsDoneAtStart: 0 }))
      .handle('sweep.cancelRuns', (p) => ({ cancelled: p.runIds.length }));
    const snaps: (BatchSnapshot | null)[] = [];
    const b = new BatchSweepState(api, (s) => snaps.push(s), () => clock);
    const last = () => snaps.at(-1)!;
    await b.start(false);
    expect(api.paramsOf('sweep.batch')).toEqual([{}]);
    expect(last()).toMatchObject({ status: 'running', done: 0, total: 20, etaSeconds: null });
    api.emit('sweep.run', run(1, 1, 4, 'running', 0, 50));
    clock = 2000;
    api.emit('job.updated', job(50, 1, 2, 4));
    expect(last()).toMatchObject({ done: 2, total: 20, etaSeconds: 18 });
    // Another image's sweep, outside the batch, changes nothing.
    api.emit('sweep.run', run(9, 3, 100, 'running', 50, 51));
    api.emit('job.updated', job(51, 3, 60, 100));
    expect(last().done).toBe(2);
    api.emit('sweep.run', run(1, 1, 4, 'done', 4, 50));
    api.emit('sweep.run', run(2, 2, 16, 'running', 0, 52));
    expect(last()).toMatchObject({ done: 4, status: 'running' });
    await b.cancel();
    expect(api.paramsOf('sweep.cancelRuns')).toEqual([{ runIds: [2] }]);
    expect(last().cancelling).toBe(true);
    api.emit('sweep.run', run(2, 2, 16, 'cancelled', 5, 52));
    expect(last()).toMatchObject({ status: 'cancelled', cancelling: false, done: 9 });

    api.handle('sweep.batch', () => ({ runs: [run(2, 2, 16, 'queued', 5)], resumedRunIds: [2], skipped: [run(1, 1, 4, 'done', 4)], startedAt: 3000, cropsDoneAtStart: 5 }));
    await b.start(false);
    expect(last()).toMatchObject({ status: 'running', done: 5, total: 16, resumedRunIds: [2] });
    expect(last().skipped.map((r) => r.id)).toEqual([1]);
    b.dispose();
    expect(api.listenerCount('sweep.run')).toBe(0);
  });

  it("shows main's batch on load, paced from when it started, and a batch another window starts", async () => {
    const clock = 10_000;
    // Started at 4 s with 1 crop done; 5 done now: 4 crops in 6 s, 15 left take 22.5 s.
    const api = new FakeApi()
      .handle('sweep.batchCurrent', () => ({ runs: [run(1, 1, 4, 'done', 4), run(2, 2, 16, 'running', 1, 60)], resumedRunIds: [], skipped: [run(3, 3, 4, 'done', 4)], startedAt: 4000, cropsDoneAtStart: 1 }))
      .handle('sweep.cancelRuns', (p) => ({ cancelled: p.runIds.length }));
    const snaps: (BatchSnapshot | null)[] = [];
    const b = new BatchSweepState(api, (s) => snaps.push(s), () => clock);
    await b.load();
    expect(snaps.at(-1)).toMatchObject({ status: 'running', done: 5, total: 20, skipped: [{ id: 3 }] });
    expect(snaps.at(-1)!.etaSeconds).toBeCloseTo(22.5, 6);
    // Its Cancel reaches the runs main named.
    await b.cancel();
    expect(api.paramsOf('sweep.cancelRuns')).toEqual([{ runIds: [2] }]);
    api.emit('sweep.batchStarted', { runs: [run(7, 1, 8, 'queued')], resumedRunIds: [], skipped: [], startedAt: 9000, cropsDoneAtStart: 0 });
    expect(snaps.at(-1)).toMatchObject({ status: 'running', done: 0, total: 8, cancelling: false });
    expect(snaps.at(-1)!.runs.map((r) => r.id)).toEqual([7]);
    b.dispose();
    expect(api.listenerCount('sweep.batchStarted')).toBe(0);
  });

  it('shows nothing when the project has no batch', async () => {
    const api = new FakeApi().handle('sweep.batchCurrent', () => null);
    const snaps: (BatchSnapshot | null)[] = [];
    const b = new BatchSweepState(api, (s) => snaps.push(s));
    await b.load();
    expect(b.snapshot).toBeNull();
    expect(snaps.every((s) => s === null)).toBe(true);
    b.dispose();
  });

  it('asks to sweep again when forced, and says why a batch did not start', async () => {
    const api = new FakeApi().handle('sweep.batch', () => Promise.reject(new Error('the project has no ready image')));
    const snaps: (BatchSnapshot | null)[] = [];
    const b = new BatchSweepState(api, (s) => snaps.push(s));
    await b.start(true);
    await settle();
    expect(api.paramsOf('sweep.batch')).toEqual([{ force: true }]);
    expect(snaps.at(-1)?.error).toBe('The batch could not start: the project has no ready image');
    b.dispose();
  });
});
