// A pool of MICRA-Net engines, one per worker thread: the wasm backend computes on a single
// thread in Node, so a sweep uses the machine's cores by spreading crops over engines.
// Crops are queued and handed to whichever engine is idle (work awaited now before work started
// ahead); results come back in input order.
// A crashed worker rejects the work it held (and the rest of that batch) with a clear error;
// the other workers carry on.
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendInfo, BackendName } from './backend';
import type { ScalarMap } from './explain/scalarMap';

// ---- the protocol between the pool and engineWorkerEntry.ts (plain, cloneable data) ----

export interface EngineWorkerData {
  backend?: BackendName;
  /** manifest.json of the weights to load; or `randomModel` (benchmarks, tests). */
  weightsManifest?: string;
  randomModel?: { inChannels: number; numClasses: number; seed?: number };
  /** A sweep screen's manifest (screen/screenWeights.ts) to load beside the model. */
  screenManifest?: string;
}

export type EngineRequest =
  /** With `camClass`, the reply carries each crop's block-4b Grad-CAM map of that class too. */
  | { type: 'predict'; id: number; crops: Float32Array[]; size: number; camClass?: number }
  | { type: 'gradcam'; id: number; crop: Float32Array; size: number; classIndex: number }
  /** The screen's logits of each crop (the engine must have loaded a screen). */
  | { type: 'screen'; id: number; crops: Float32Array[]; size: number }
  | { type: 'memory'; id: number };

export interface WorkerMemory {
  /** V8 heap of the worker's isolate, bytes. */
  heapBytes: number;
  /** Off-heap memory of the isolate (array buffers, the wasm memory), bytes. */
  externalBytes: number;
  /** Largest heap + external seen after any task, bytes. */
  peakBytes: number;
}

export interface GradCamMaps {
  logits: Float32Array;
  /** One map per block (1a…4b), row-major at the block's resolution. */
  maps: Float32Array[];
  sizes: [number, number][];
}

export type EngineReply =
  | { type: 'ready'; backend: BackendInfo; inChannels: number; numClasses: number }
  | { type: 'fatal'; message: string }
  | { type: 'predicted'; id: number; logits: Float32Array; cams?: { data: Float32Array; height: number; width: number } }
  | { type: 'gradcam'; id: number; result: GradCamMaps }
  | { type: 'screened'; id: number; logits: Float32Array }
  | { type: 'memory'; id: number; memory: WorkerMemory }
  | { type: 'failed'; id: number; message: string };

// ---- the pool ----

/**
 * Who owns a crop once it is handed to the pool. 'copy' (the default): the caller keeps it, the
 * worker gets a structured-clone copy (a 256² crop is 256 KB), so the caller may use it again,
 * e.g. for Grad-CAM after the forward pass. 'transfer': the caller gives it up; its buffer moves
 * to the worker without a copy and the caller's array is left empty (length 0). Only a crop
 * that owns its whole buffer moves; a view into a larger buffer (which other crops may share)
 * is copied as before.
 */
export type CropOwnership = 'copy' | 'transfer';

/**
 * When a task may run. 'now' (the default): work someone waits on. 'ahead': work started early
 * for later (a sweep's next crops, screened and forwarded while this batch is explained), taken
 * only when no 'now' task is queued, so it fills idle engines without delaying what is awaited.
 */
export type TaskPriority = 'now' | 'ahead';

/** The buffers of a request's crops that may move: each owns its whole buffer; each once. */
export function transferableBuffers(request: TaskRequest): ArrayBuffer[] {
  const crops = 'crops' in request ? request.crops : 'crop' in request ? [request.crop] : [];
  const out = new Set<ArrayBuffer>();
  for (const c of crops) if (c.buffer instanceof ArrayBuffer && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength) out.add(c.buffer);
  return [...out];
}

export interface EnginePoolOptions extends EngineWorkerData {
  /** Number of engines; default os.availableParallelism(). */
  workers?: number;
  /** Crops per message, i.e. the batch size of each predict call (default 1). */
  cropsPerTask?: number;
  /** The worker script; default: the bundled dist/compute/engineWorker.js or, from source, the .ts. */
  workerScript?: URL;
}

export interface EnginePool {
  readonly size: number;
  readonly backend: BackendInfo;
  readonly inChannels: number;
  readonly numClasses: number;
  /** Logits of every crop (each size × size × inChannels, HWC), in input order. */
  predictBatch(crops: Float32Array[], size: number): Promise<Float32Array[]>;
  /**
   * Logits and the block-4b Grad-CAM map of `classIndex` (from the forward pass alone: see
   * MicraNet.predictWithCam) of every crop, in input order.
   */
  predictWithCamBatch(
    crops: Float32Array[],
    size: number,
    classIndex: number,
    ownership?: CropOwnership,
    priority?: TaskPriority,
  ): Promise<Array<{ logits: Float32Array; cam: ScalarMap }>>;
  /** The screen's logits of every crop, in input order (needs `screenManifest`). */
  screenBatch(crops: Float32Array[], size: number, priority?: TaskPriority): Promise<Float32Array[]>;
  /** Grad-CAM of `classIndex` at every block for every crop, in input order. */
  gradCamBatch(crops: Float32Array[], size: number, classIndex: number, ownership?: CropOwnership): Promise<GradCamMaps[]>;
  /** Memory of every live worker. */
  memory(): Promise<WorkerMemory[]>;
  /** Stops every worker; queued work is rejected. */
  close(): Promise<void>;
}

export type TaskRequest = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Task {
  request: TaskRequest;
  /** Buffers handed to the worker with the message instead of copied (see Ownership). */
  transfer: ArrayBuffer[];
  resolve: (reply: EngineReply) => void;
  reject: (err: Error) => void;
  /** Tasks of one batch share a group: when one fails, the queued rest are dropped. */
  group: { failed: boolean };
}

interface Engine {
  index: number;
  worker: Worker;
  busy: Task | null;
  alive: boolean;
  /** Work meant for this engine only (memory reports), served before the shared queue. */
  direct: Task[];
}

/** Where the worker script is: next to this file from source, dist/compute/ once bundled. */
function defaultWorkerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./engineWorkerEntry.ts', here);
  // Bundles live in dist/<area>/*.js (compute/main.js, cli/micra.js): the worker is dist/compute/.
  return new URL('../compute/engineWorker.js', here);
}

/**
 * Starts a worker on `script` (the engines here, the training worker too). A TypeScript
 * script (tests, tsx) gets a tiny ES-module bootstrap that registers tsx's loader first:
 * `execArgv: ['--import', 'tsx']` does not reach a worker's entry module in Node 20.
 */
export function startWorker(script: URL, data: unknown): Worker {
  let worker: Worker;
  if (!script.pathname.endsWith('.ts')) {
    worker = new Worker(script, { workerData: data });
  } else {
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const bootstrap = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(script.href)});`;
    worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData: data });
  }
  // An 'error' event without a listener would throw in this process; an error is always
  // followed by 'exit', where the pool reacts (with the error's message, kept here).
  worker.on('error', (err) => lastErrors.set(worker, err.message));
  return worker;
}

/** The last uncaught error of each worker, reported when it exits. */
const lastErrors = new WeakMap<Worker, string>();

/** The last uncaught error of a worker started by startWorker, if any. */
export function lastWorkerError(worker: Worker): string | undefined {
  return lastErrors.get(worker);
}

/** Waits for a worker's 'ready' (or its failure to start). */
function whenReady(worker: Worker, index: number): Promise<Extract<EngineReply, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: EngineReply): void => {
      cleanup();
      if (msg.type === 'ready') resolve(msg);
      else if (msg.type === 'fatal') reject(new Error(`engine worker ${index} failed to start: ${msg.message}`));
      else reject(new Error(`engine worker ${index} sent ${msg.type} before ready`));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new Error(`engine worker ${index} failed to start: ${err.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`engine worker ${index} exited with code ${code} while starting`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

export async function createEnginePool(options: EnginePoolOptions): Promise<EnginePool> {
  const count = Math.max(1, options.workers ?? os.availableParallelism());
  const cropsPerTask = Math.max(1, options.cropsPerTask ?? 1);
  const script = options.workerScript ?? defaultWorkerScript();
  const data: EngineWorkerData = {
    backend: options.backend,
    weightsManifest: options.weightsManifest,
    randomModel: options.randomModel,
    ...(options.screenManifest ? { screenManifest: options.screenManifest } : {}),
  };
  const workers = Array.from({ length: count }, () => startWorker(script, data));
  let ready: Extract<EngineReply, { type: 'ready' }>[];
  try {
    ready = await Promise.all(workers.map((w, i) => whenReady(w, i)));
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  const first = ready[0] as Extract<EngineReply, { type: 'ready' }>;

  const engines: Engine[] = workers.map((worker, index) => ({ index, worker, busy: null, alive: true, direct: [] }));
  const queues: Record<TaskPriority, Task[]> = { now: [], ahead: [] };
  let nextId = 1;
  let closing = false;

  /** The next shared task: 'now' before 'ahead'; tasks of a failed batch are dropped. */
  const nextQueued = (): Task | undefined => {
    for (const queue of [queues.now, queues.ahead]) {
      let task = queue.shift();
      while (task && task.group.failed) task = queue.shift();
      if (task) return task;
    }
    return undefined;
  };

  const dispatch = (): void => {
    for (const engine of engines) {
      if (!engine.alive || engine.busy) continue;
      const task = engine.direct.shift() ?? nextQueued();
      if (!task) return;
      engine.busy = task;
      engine.worker.postMessage({ ...task.request, id: nextId++ } as EngineRequest, task.transfer);
    }
  };

  const failQueued = (err: Error): void => {
    for (const task of [...queues.now.splice(0), ...queues.ahead.splice(0)]) task.reject(err);
  };

  for (const engine of engines) {
    engine.worker.on('message', (msg: EngineReply) => {
      const task = engine.busy;
      engine.busy = null;
      if (task) {
        if (msg.type === 'failed') task.reject(new Error(`engine worker ${engine.index}: ${msg.message}`));
        else task.resolve(msg);
      }
      dispatch();
    });
    const onDeath = (why: string): void => {
      if (!engine.alive) return;
      engine.alive = false;
      const task = engine.busy;
      engine.busy = null;
      if (closing) return;
      const err = new Error(`engine worker ${engine.index} crashed (${why}); its crops were not processed`);
      task?.reject(err);
      for (const direct of engine.direct.splice(0)) direct.reject(err);
      if (!engines.some((e) => e.alive)) failQueued(new Error(`every engine worker has crashed; last: ${why}`));
      else dispatch();
    };
    engine.worker.on('exit', (code) => {
      const error = lastErrors.get(engine.worker);
      onDeath(error ? `${error}; exit code ${code}` : `exit code ${code}`);
    });
  }

  /** Queues the tasks of one batch; rejects on the first failure, dropping the rest. */
  const runGroup = (requests: TaskRequest[], ownership: CropOwnership = 'copy', priority: TaskPriority = 'now'): Promise<EngineReply[]> => {
    if (closing) return Promise.reject(new Error('the engine pool is closed'));
    if (!engines.some((e) => e.alive)) return Promise.reject(new Error('every engine worker has crashed'));
    const group = { failed: false };
    const promises = requests.map(
      (request) =>
        new Promise<EngineReply>((resolve, reject) => {
          queues[priority].push({
            request,
            transfer: ownership === 'transfer' ? transferableBuffers(request) : [],
            resolve,
            reject: (err) => {
              group.failed = true;
              reject(err);
            },
            group,
          });
        }),
    );
    dispatch();
    return Promise.all(promises);
  };

  const checkCrops = (crops: Float32Array[], size: number): void => {
    const per = size * size * first.inChannels;
    crops.forEach((c, i) => {
      if (c.length !== per) throw new Error(`crop ${i} has ${c.length} values, expected ${size}×${size}×${first.inChannels}`);
    });
  };

  return {
    size: count,
    backend: first.backend,
    inChannels: first.inChannels,
    numClasses: first.numClasses,

    async predictBatch(crops, size) {
      checkCrops(crops, size);
      const requests: TaskRequest[] = [];
      for (let i = 0; i < crops.length; i += cropsPerTask) {
        requests.push({ type: 'predict', crops: crops.slice(i, i + cropsPerTask), size });
      }
      const replies = await runGroup(requests);
      const out: Float32Array[] = [];
      for (const reply of replies) {
        if (reply.type !== 'predicted') throw new Error(`unexpected reply ${reply.type}`);
        for (let k = 0; k < reply.logits.length; k += first.numClasses) out.push(reply.logits.slice(k, k + first.numClasses));
      }
      return out;
    },

    async predictWithCamBatch(crops, size, classIndex, ownership, priority) {
      checkCrops(crops, size);
      const requests: TaskRequest[] = [];
      for (let i = 0; i < crops.length; i += cropsPerTask) {
        requests.push({ type: 'predict', crops: crops.slice(i, i + cropsPerTask), size, camClass: classIndex });
      }
      const replies = await runGroup(requests, ownership, priority);
      const out: Array<{ logits: Float32Array; cam: ScalarMap }> = [];
      for (const reply of replies) {
        if (reply.type !== 'predicted' || !reply.cams) throw new Error(`unexpected reply ${reply.type}`);
        const { data, height, width } = reply.cams;
        const per = height * width;
        for (let k = 0; k * first.numClasses < reply.logits.length; k++) {
          out.push({
            logits: reply.logits.slice(k * first.numClasses, (k + 1) * first.numClasses),
            cam: { data: data.slice(k * per, (k + 1) * per), width, height },
          });
        }
      }
      return out;
    },

    async screenBatch(crops, size, priority) {
      if (!options.screenManifest) throw new Error('this engine pool has no screen');
      checkCrops(crops, size);
      // The screen is cheap per crop: one task per engine, so messages do not dominate.
      const per = Math.max(1, Math.ceil(crops.length / count));
      const requests: TaskRequest[] = [];
      for (let i = 0; i < crops.length; i += per) requests.push({ type: 'screen', crops: crops.slice(i, i + per), size });
      const replies = await runGroup(requests, 'copy', priority);
      const out: Float32Array[] = [];
      for (const reply of replies) {
        if (reply.type !== 'screened') throw new Error(`unexpected reply ${reply.type}`);
        for (let k = 0; k < reply.logits.length; k += first.numClasses) out.push(reply.logits.slice(k, k + first.numClasses));
      }
      return out;
    },

    async gradCamBatch(crops, size, classIndex, ownership) {
      checkCrops(crops, size);
      const replies = await runGroup(
        crops.map((crop) => ({ type: 'gradcam', crop, size, classIndex })),
        ownership,
      );
      return replies.map((reply) => {
        if (reply.type !== 'gradcam') throw new Error(`unexpected reply ${reply.type}`);
        return reply.result;
      });
    },

    async memory() {
      // Each live worker answers for itself, between two tasks.
      const replies = engines
        .filter((e) => e.alive)
        .map(
          (engine) =>
            new Promise<WorkerMemory>((resolve, reject) => {
              engine.direct.push({
                request: { type: 'memory' },
                transfer: [],
                resolve: (reply) => (reply.type === 'memory' ? resolve(reply.memory) : reject(new Error(`unexpected reply ${reply.type}`))),
                reject,
                group: { failed: false },
              });
            }),
        );
      dispatch();
      return Promise.all(replies);
    },

    async close() {
      if (closing) return;
      closing = true;
      const err = new Error('the engine pool was closed');
      failQueued(err);
      for (const engine of engines) {
        engine.busy?.reject(err);
        engine.busy = null;
        for (const direct of engine.direct.splice(0)) direct.reject(err);
      }
      await Promise.all(engines.map((e) => e.worker.terminate()));
    },
  };
}
