// Runs the compute process as an Electron utilityProcess, behind the same ComputeChannel
// interface as child_process.fork, so the job host does not know which it has.
import { utilityProcess } from 'electron';
import type { ComputeChannel } from '../core/jobs/computeChannel';
import type { HostToCompute } from '../core/jobs/jobProtocol';

export function utilityComputeChannel(entryPath: string): ComputeChannel {
  const child = utilityProcess.fork(entryPath, [], { serviceName: 'Micra Studio compute', stdio: 'inherit' });
  return {
    send: (msg: HostToCompute) => child.postMessage(msg),
    onMessage: (cb) => child.on('message', (msg: unknown) => cb(msg)),
    onExit: (cb) => child.on('exit', (code: number) => cb(code, null)),
    kill: () => {
      child.kill();
    },
  };
}
