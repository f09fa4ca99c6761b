// How the compute process talks to main. Under child_process.fork that is process.send and
// process.on('message'); under Electron's utilityProcess it is process.parentPort, whose
// 'message' events carry the payload in `data`.
import type { ComputeToHost } from '../core/jobs/jobProtocol';
import { exitParentGone, isBrokenPipe, watchForkParent } from './parentWatch';

export interface ComputeTransport {
  readonly name: 'fork' | 'utilityProcess';
  send(msg: ComputeToHost): void;
  onMessage(cb: (msg: unknown) => void): void;
}

interface ParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function detectComputeTransport(): ComputeTransport {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      name: 'utilityProcess',
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (cb) => parentPort.on('message', (e) => cb(e.data)),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    // The host going away (main exited or crashed) must not leave an orphan computing.
    watchForkParent();
    return {
      name: 'fork',
      send: (msg) => {
        if (!process.connected) return exitParentGone();
        // With a callback a failed write is reported here instead of as an unhandled 'error' event:
        // a broken pipe means the host is gone; anything else still ends the process loudly.
        send(msg, undefined, undefined, (err: Error | null) => {
          if (err === null) return;
          if (isBrokenPipe(err)) exitParentGone();
          else throw err;
        });
      },
      onMessage: (cb) => process.on('message', (msg: unknown) => cb(msg)),
    };
  }
  throw new Error('the compute process must be started by the app (no IPC channel to a parent)');
}
