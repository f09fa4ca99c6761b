// The application outside Electron (CLI, serve mode): the compute process is a forked Node.
import { MicraApp } from '../core/app/micraApp';
import { forkComputeChannel } from '../core/jobs/computeChannel';
import { computeEntry } from './bundlePaths';

export function createNodeApp(transport: 'serve' | 'electron'): MicraApp {
  const entry = computeEntry();
  return new MicraApp({ transport, computeChannel: () => forkComputeChannel(entry.path, entry.execArgv) });
}
