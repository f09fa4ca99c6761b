// Main's side of the compute process: starts it on first use, sends jobs, routes progress and
// outcomes back, and notices when it dies so its jobs fail and the next job gets a fresh one.
import { JobCancelledError } from './jobContext';
import { ComputeToHostSchema, type ComputeToHost, type HostToCompute, type JobNote } from './jobProtocol';
import type { ComputeChannel, ComputeChannelFactory } from './computeChannel';

export interface JobProgress {
  done: number;
  total: number;
  message?: string;
}

/** The compute process ended while the job was running (killed, crashed, out of memory). */
export class ComputeCrashedError extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: string | null,
  ) {
    super(`compute process crashed (${signal !== null ? `signal ${signal}` : `exit code ${String(code)}`})`);
    this.name = 'ComputeCrashedError';
  }
}

/** The job itself failed inside the compute process; `message` is the handler's reason. */
export class ComputeJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComputeJobError';
  }
}

export class ComputeHostDisposedError extends Error {
  constructor() {
    super('the compute host was shut down');
    this.name = 'ComputeHostDisposedError';
  }
}

interface PendingJob {
  onProgress: (p: JobProgress) => void;
  onNote: (note: JobNote) => void;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

interface LiveProcess {
  channel: ComputeChannel;
  pid: number | null;
  ready: boolean;
  /** Messages sent before the process said 'ready'. */
  backlog: HostToCompute[];
  jobs: Map<number, PendingJob>;
}

export interface ComputeHostOptions {
  /** Where garbage from the process is reported; defaults to console.warn. */
  log?: (message: string) => void;
}

export class ComputeHost {
  private live: LiveProcess | null = null;
  private disposed = false;
  /** Ids of jobs that are no project job: from the top of the range, which jobs rows never reach. */
  private nextUntrackedId = Number.MAX_SAFE_INTEGER;
  private readonly log: (message: string) => void;

  constructor(
    private readonly spawn: ComputeChannelFactory,
    opts: ComputeHostOptions = {},
  ) {
    this.log = opts.log ?? ((m) => console.warn(m));
  }

  /** The running compute process's pid, once it has reported ready. */
  get pid(): number | null {
    return this.live?.ready ? this.live.pid : null;
  }

  get runningJobIds(): number[] {
    return this.live ? [...this.live.jobs.keys()] : [];
  }

  /**
   * Runs a job in the compute process. Resolves with its result; rejects with JobCancelledError
   * when cancelled, ComputeJobError when it failed, ComputeCrashedError when the process died.
   */
  start(jobId: number, kind: string, params: unknown, onProgress: (p: JobProgress) => void, onNote: (note: JobNote) => void = () => undefined): Promise<unknown> {
    if (this.disposed) return Promise.reject(new ComputeHostDisposedError());
    const proc = this.live ?? this.launch();
    if (proc.jobs.has(jobId)) return Promise.reject(new Error(`job ${jobId} is already running`));
    return new Promise<unknown>((resolve, reject) => {
      proc.jobs.set(jobId, { onProgress, onNote, resolve, reject });
      this.post(proc, { type: 'start', jobId, kind, params });
    });
  }

  /**
   * Runs a short job that is no project job (no jobs row, no progress), such as asking the
   * compute process which backend it uses.
   */
  run(kind: string, params: unknown): Promise<unknown> {
    return this.start(this.nextUntrackedId--, kind, params, () => undefined);
  }

  /** Asks the process to stop a job; false if no such job is running. */
  cancel(jobId: number): boolean {
    const proc = this.live;
    if (!proc?.jobs.has(jobId)) return false;
    this.post(proc, { type: 'cancel', jobId });
    return true;
  }

  /** Stops the process; jobs still running reject with ComputeHostDisposedError. */
  dispose(): void {
    this.disposed = true;
    const proc = this.live;
    if (!proc) return;
    this.live = null;
    for (const job of proc.jobs.values()) job.reject(new ComputeHostDisposedError());
    proc.jobs.clear();
    proc.channel.kill();
  }

  private launch(): LiveProcess {
    const channel = this.spawn();
    const proc: LiveProcess = { channel, pid: null, ready: false, backlog: [], jobs: new Map() };
    this.live = proc;
    channel.onMessage((raw) => this.receive(proc, raw));
    channel.onExit((code, signal) => this.exited(proc, code, signal));
    return proc;
  }

  private post(proc: LiveProcess, msg: HostToCompute): void {
    if (proc.ready) proc.channel.send(msg);
    else proc.backlog.push(msg);
  }

  private receive(proc: LiveProcess, raw: unknown): void {
    const parsed = ComputeToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.log(`compute host: ignored a malformed message from the compute process: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg: ComputeToHost = parsed.data;
    if (msg.type === 'ready') {
      proc.pid = msg.pid;
      proc.ready = true;
      for (const queued of proc.backlog.splice(0)) proc.channel.send(queued);
      return;
    }
    const job = proc.jobs.get(msg.jobId);
    if (!job) {
      this.log(`compute host: ignored '${msg.type}' for unknown job ${msg.jobId}`);
      return;
    }
    switch (msg.type) {
      case 'progress':
        job.onProgress(msg.message === undefined ? { done: msg.done, total: msg.total } : { done: msg.done, total: msg.total, message: msg.message });
        return;
      case 'note':
        job.onNote(msg.note);
        return;
      case 'result':
        proc.jobs.delete(msg.jobId);
        job.resolve(msg.result);
        return;
      case 'error':
        proc.jobs.delete(msg.jobId);
        job.reject(msg.cancelled ? new JobCancelledError() : new ComputeJobError(msg.message));
        return;
    }
  }

  private exited(proc: LiveProcess, code: number | null, signal: string | null): void {
    if (this.live === proc) this.live = null;
    if (proc.jobs.size === 0) return;
    const err = new ComputeCrashedError(code, signal);
    for (const job of proc.jobs.values()) job.reject(err);
    proc.jobs.clear();
  }
}
