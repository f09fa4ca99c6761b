// The application outside Electron: `micra serve` ('serve': a browser is its front end) and the
// one-shot commands ('cli': no front end, so no save dialog or folder browser to offer). The
// compute process is a forked Node.
import { MicraApp } from '../core/app/micraApp';
import { forkComputeChannel } from '../core/jobs/computeChannel';
import { computeEntry } from './bundlePaths';

export function createNodeApp(transport: 'serve' | 'cli'): MicraApp {
  const entry = computeEntry();
  return new MicraApp({ transport, computeChannel: () => forkComputeChannel(entry.path, entry.execArgv) });
}
