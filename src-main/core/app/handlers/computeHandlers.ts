// 'compute.info': asks the project's compute process which backend it uses (once per process:
// the answer does not change while it lives) and validates the answer, which comes from
// another process.
import type { z } from 'zod';
import type { ComputeInfoSchema, computeRequests } from '../../../api/channels/computeChannels';
import { ComputeProbeSchema, GPU_BACKENDS, type ComputeProbe } from '../../ml/backendInfo';
import type { ComputeHost } from '../../jobs/computeHost';
import type { AppContext, HandlerGroup } from '../appContext';
import { DomainError } from '../../../api/domainError';

type ComputeInfo = z.output<typeof ComputeInfoSchema>;

const answers = new WeakMap<ComputeHost, Promise<ComputeProbe>>();

async function probe(host: ComputeHost): Promise<ComputeProbe> {
  const parsed = ComputeProbeSchema.safeParse(await host.run('compute.info', {}));
  if (!parsed.success) throw new Error('the compute process answered compute.info with a malformed report');
  return parsed.data;
}

export function computeInfo(p: ComputeProbe): ComputeInfo {
  const b = p.backend;
  return {
    backend: b.name,
    gpu: GPU_BACKENDS.has(b.name),
    adapter: b.adapter,
    threads: b.threads * p.engines,
    forced: b.forced,
    tried: b.tried,
  };
}

export function computeHandlers(app: AppContext): HandlerGroup<typeof computeRequests> {
  return {
    'compute.info': async () => {
      const { host } = app.requireProject();
      let answer = answers.get(host);
      if (!answer) {
        answer = probe(host);
        answers.set(host, answer);
        // A failed probe (the process died, say) is asked again next time.
        answer.catch(() => answers.delete(host));
      }
      try {
        return computeInfo(await answer);
      } catch (err) {
        throw new DomainError('failed', err instanceof Error ? err.message : String(err));
      }
    },
  };
}
