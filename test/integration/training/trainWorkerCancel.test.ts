// Cancelling the training worker when a step never yields: the thread is ended mid-step (the
// promise settles as cancelled although the step would run for ten minutes), but a write inside
// the CancelGate is always finished first (the file is whole).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import type { TrainParams } from '../../../src-main/core/ml/training/trainJobSchema';
import { runTrainWorker } from '../../../src-main/core/ml/training/trainWorker';

const script = new URL('./fixtures/stuckTrainWorker.ts', import.meta.url);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-train-worker-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the fixture; aborts when it reports `cancelAt`; resolves with how the run settled. */
async function runAndCancel(scenario: 'step' | 'write', cancelAt: string, file: string): Promise<{ outcome: unknown; messages: string[] }> {
  const controller = new AbortController();
  const messages: string[] = [];
  const params = { fixture: { scenario, file } } as unknown as TrainParams;
  const outcome = await runTrainWorker(params, {
    signal: controller.signal,
    workerScript: script,
    graceMs: 0,
    progress: (_d, _t, message) => {
      messages.push(message ?? '');
      if (message === cancelAt) controller.abort();
    },
  }).then(
    () => 'finished',
    (err: unknown) => err,
  );
  return { outcome, messages };
}

describe('training worker cancel', () => {
  it('ends a worker stuck in a long synchronous step', async () => {
    const { outcome, messages } = await runAndCancel('step', 'step', path.join(tmp, 'unused'));
    expect(outcome).toBeInstanceOf(JobCancelledError);
    expect(messages).toEqual(['step']);
  }, 60_000);

  it('lets a guarded write finish before ending the worker', async () => {
    const file = path.join(tmp, 'checkpoint.txt');
    const { outcome, messages } = await runAndCancel('write', 'writing', file);
    expect(outcome).toBeInstanceOf(JobCancelledError);
    expect(fs.readFileSync(file, 'utf8')).toBe('first half;second half');
    // Progress after the cancel is not reported.
    expect(messages).toEqual(['writing']);
  }, 60_000);
});
