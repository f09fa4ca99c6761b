// The compute process of a forked host must not outlive it: nothing would read its results, and an
// orphan keeps the cores busy. Three signs that the host is gone, whichever comes first:
//   - the IPC channel closes ('disconnect'), seen when the event loop next polls;
//   - a message to it fails (EPIPE): unhandled, Node would print the error and die noisily;
//   - the parent process id changes (the orphan was re-parented), checked by a tiny watchdog
//     thread, because a job may hold the main thread for seconds (a long synchronous step), and
//     during that time neither of the first two can be noticed.
// Each ends the process at once and quietly: there is nobody left to tell.
import { Worker } from 'node:worker_threads';

const WATCH_INTERVAL_MS = 200;

// CommonJS inside an eval worker: nothing to bundle or resolve, in the sources as in dist/.
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

let leaving = false;

/** Ends the process now, without a word (the parent is gone). */
export function exitParentGone(): void {
  if (leaving) return;
  leaving = true;
  process.exit(0);
}

/** Whether a write failed because its reader is gone. */
export function isBrokenPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_IPC_CHANNEL_CLOSED';
}

/** Watches for the forked host's death (see the comment at the top). */
export function watchForkParent(): void {
  process.on('disconnect', exitParentGone);
  // stdout and stderr are the host's: once its reader is gone a log line must not crash us.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (isBrokenPipe(err)) exitParentGone();
      else throw err;
    });
  }
  if (!process.connected) exitParentGone();
  const watchdog = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { ppid: process.ppid, pid: process.pid, intervalMs: WATCH_INTERVAL_MS },
    // The watchdog neither logs nor needs the host's streams or environment.
    stdout: true,
    stderr: true,
    env: {},
  });
  watchdog.unref();
}
