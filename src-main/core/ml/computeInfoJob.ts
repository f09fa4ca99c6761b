// The 'compute.info' job: which backend this compute process uses, so the UI can tell the user
// which compute they get (the compute process is where the engine runs: its environment,
// Electron's utilityProcess or a forked Node, is the one that matters).
import os from 'node:os';
import { z } from 'zod';
import type { JobHandler } from '../jobs/jobContext';
import { initBackend, isGpuBackend } from './backend';
import type { ComputeProbe } from './backendInfo';

export const computeInfoJobHandler: JobHandler<Record<string, never>, ComputeProbe> = {
  kind: 'compute.info',
  params: z.object({}).strict(),
  async run() {
    const backend = await initBackend();
    return { backend, engines: isGpuBackend(backend.name) ? 1 : os.availableParallelism() };
  },
};
