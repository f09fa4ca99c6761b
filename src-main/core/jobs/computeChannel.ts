// The pipe to a compute process, whatever started it: child_process.fork here, Electron's
// utilityProcess in the app (its adapter lives in src-main/electron/).
import { fork } from 'node:child_process';
import type { HostToCompute } from './jobProtocol';

export interface ComputeChannel {
  send(msg: HostToCompute): void;
  /** Every message the process sends, unparsed: the host validates it. */
  onMessage(cb: (msg: unknown) => void): void;
  /** Called once when the process is gone, whether it exited or was killed. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type ComputeChannelFactory = () => ComputeChannel;

/**
 * Forks `entryPath` as the compute process. Pass execArgv ['--import', 'tsx'] to run a
 * TypeScript entry directly (tests, development).
 */
export function forkComputeChannel(entryPath: string, execArgv: string[] = []): ComputeChannel {
  // 'advanced' serialization is structured clone, as utilityProcess uses: typed arrays survive.
  const child = fork(entryPath, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send(msg) {
      if (child.connected) child.send(msg);
    },
    onMessage(cb) {
      child.on('message', (msg: unknown) => cb(msg));
    },
    onExit(cb) {
      child.once('exit', (code, signal) => cb(code, signal));
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}
