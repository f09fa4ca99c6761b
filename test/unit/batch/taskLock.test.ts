// A task must not be run twice at once on one machine: both copies would append to its journal.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { runningElsewhere, type TaskState } from '../../../src-main/core/batch/taskState';

const here = { host: os.hostname(), pid: process.pid };
const running = (host: string, pid: number): TaskState => ({ state: 'running', host, pid, slurmJobId: null, updatedAt: new Date().toISOString(), error: null });

describe('runningElsewhere', () => {
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  afterAll(() => void sleeper.kill('SIGKILL'));

  it('refuses while another live process of this machine runs the task', () => {
    expect(runningElsewhere(running(here.host, sleeper.pid as number), here)).toMatch(`process ${sleeper.pid} on this machine is already running it`);
  });

  it('lets a task run again when its last runner is gone, ended, elsewhere, or itself', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => gone.on('exit', r));
    expect(runningElsewhere(running(here.host, gone.pid as number), here)).toBeNull();
    expect(runningElsewhere({ ...running(here.host, sleeper.pid as number), state: 'failed' }, here)).toBeNull();
    expect(runningElsewhere(running('another-node', sleeper.pid as number), here)).toBeNull();
    expect(runningElsewhere(running(here.host, process.pid), here)).toBeNull();
    expect(runningElsewhere(null, here)).toBeNull();
  });
});
