// The compute process's message loop: receives start/cancel from main, runs the registered
// handler for each job (several may run at once), each with its own AbortController, and
// reports progress, result or error. Kept apart from main.ts so tests can run it with their
// own registry in a real forked process.
import { z } from 'zod';
import { JobCancelledError, type JobHandler } from '../core/jobs/jobContext';
import { HostToComputeSchema, type ComputeToHost } from '../core/jobs/jobProtocol';
import { detectComputeTransport, type ComputeTransport } from './computeTransport';

/** A handler with its params type erased: it validates what it is given itself. */
export interface RegisteredJob {
  readonly kind: string;
  run(rawParams: unknown, ctx: Parameters<JobHandler<unknown, unknown>['run']>[1]): Promise<unknown>;
}

export class InvalidJobParamsError extends Error {
  constructor(kind: string, error: z.ZodError) {
    super(`invalid parameters for job '${kind}': ${z.prettifyError(error)}`);
    this.name = 'InvalidJobParamsError';
  }
}

/** Wraps a typed handler so the registry can hold handlers of different parameter types. */
export function registerJob<P, R>(handler: JobHandler<P, R>): RegisteredJob {
  return {
    kind: handler.kind,
    async run(rawParams, ctx) {
      const parsed = handler.params.safeParse(rawParams);
      if (!parsed.success) throw new InvalidJobParamsError(handler.kind, parsed.error);
      return handler.run(parsed.data, ctx);
    },
  };
}

export type JobRegistry = ReadonlyMap<string, RegisteredJob>;

export function makeJobRegistry(jobs: readonly RegisteredJob[]): JobRegistry {
  const map = new Map<string, RegisteredJob>();
  for (const job of jobs) {
    if (map.has(job.kind)) throw new Error(`two handlers for job kind '${job.kind}'`);
    map.set(job.kind, job);
  }
  return map;
}

/** Starts the loop; returns once listening (the process then lives on its IPC channel). */
export function runComputeProcess(registry: JobRegistry, transport: ComputeTransport = detectComputeTransport()): void {
  const running = new Map<number, AbortController>();
  const send = (msg: ComputeToHost) => transport.send(msg);

  const start = async (jobId: number, kind: string, params: unknown) => {
    const job = registry.get(kind);
    if (!job) return send({ type: 'error', jobId, cancelled: false, message: `unknown job kind '${kind}'` });
    if (running.has(jobId)) return send({ type: 'error', jobId, cancelled: false, message: `job ${jobId} is already running` });
    const controller = new AbortController();
    running.set(jobId, controller);
    try {
      const result = await job.run(params, {
        signal: controller.signal,
        progress: (done, total, message) => {
          if (!controller.signal.aborted) send({ type: 'progress', jobId, done, total, ...(message === undefined ? {} : { message }) });
        },
        note: (note) => {
          if (!controller.signal.aborted) send({ type: 'note', jobId, note });
        },
      });
      // A handler that finished despite a late cancel did its work: report what it produced.
      send({ type: 'result', jobId, result });
    } catch (err) {
      const cancelled = err instanceof JobCancelledError || controller.signal.aborted;
      send({ type: 'error', jobId, cancelled, message: cancelled ? 'cancelled' : describeError(err) });
    } finally {
      running.delete(jobId);
    }
  };

  transport.onMessage((raw) => {
    const parsed = HostToComputeSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn(`compute: ignored a malformed message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'start') void start(msg.jobId, msg.kind, msg.params);
    else running.get(msg.jobId)?.abort();
  });

  send({ type: 'ready', pid: process.pid });
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
