// The shard workers of data-parallel training, driven by the training thread (the coordinator).
//
// Why not the engine pool (workerPool.ts's createEnginePool): that pool hands each task to
// whichever engine is idle, which suits independent crops. A data-parallel step is a
// collective: every worker must take exactly one shard of the same step, and all of them meet
// at the batch-norm barriers (sharedReducer.ts). So the membership here is fixed; the threads
// are started the same way (workerPool.ts's startWorker).
//
// Memory: the model's variables live in one SharedArrayBuffer the coordinator writes after
// each update; each task names the variables that changed since that worker's last task (the
// trainable ones after a step; all after a checkpoint is restored), which the worker re-reads.
// Gradients come back the same way, each worker in its own region, and are summed here in
// worker order 0, 1, …, W−1: the same W gives the same bits, run after run. Shard inputs are
// transferred, not copied.
import type { Worker } from 'node:worker_threads';
import type { BackendName } from '../backend';
import type { MicraNet } from '../model/micranet';
import { lastWorkerError, startWorker } from '../workerPool';
import { ShardReplySchema, type ShardReply, type ShardRequest, type ShardWorkerData } from './shardProtocol';
import { abortReducer, createReducerBuffer } from './sharedReducer';
import { layoutOf, netLayout, sharedFloats, writeVariables, type Layout } from './variableLayout';

export interface ShardPoolOptions {
  net: MicraNet;
  workers: number;
  /** Names of the variables a step trains (gradients come back for these, in this order). */
  trainable: readonly string[];
  /** Running statistics a step updates (worker 0's values come back). */
  runningStats: readonly string[];
  backend?: BackendName;
  workerScript?: URL;
}

export interface ShardStepTask {
  x: Float32Array;
  shape: [number, number, number, number];
  targets: Float32Array;
  weights: Float32Array;
  dropout: Float32Array;
}

export interface ShardStepCommon {
  from: number;
  trainFrom: number;
  batchSize: number;
  weightCount: number;
}

export interface ShardStepResult {
  /** Sum of the shards' losses (the batch loss). */
  loss: number;
  /** Logits of every crop, in batch order. */
  logits: Float32Array;
  /** Summed gradients, laid out like `trainable`. */
  grads: Float32Array;
  /** Worker 0's running statistics after the step, laid out like `runningStats`. */
  runningStats: Float32Array;
}

export interface ShardPool {
  readonly workers: number;
  /** The coordinator changed these variables of the net: workers re-read them before their next task. */
  changed(names: readonly string[]): void;
  /** One shard per task (tasks.length ≤ workers); rejects if any worker fails. */
  step(tasks: ShardStepTask[], common: ShardStepCommon): Promise<ShardStepResult>;
  /** Frozen features (inference blocks [from, to)) of every chunk, spread over the workers. */
  features(chunks: Array<{ x: Float32Array; shape: [number, number, number, number] }>, from: number, to: number): Promise<Array<{ features: Float32Array; shape: [number, number, number, number] }>>;
  close(): Promise<void>;
}

function defaultScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./shardWorkerEntry.ts', here);
  // Bundles live in dist/<area>/*.js: the worker is dist/compute/shardWorker.js.
  return new URL('../compute/shardWorker.js', here);
}

interface Slot {
  worker: Worker;
  /** Variables changed since this worker's last task. */
  stale: Set<string>;
  pending: { resolve: (r: ShardReply) => void; reject: (e: Error) => void } | null;
  dead: string | null;
}

export async function createShardPool(o: ShardPoolOptions): Promise<ShardPool> {
  const { net } = o;
  const names = [...net.variables.keys()];
  const weightsLayout = netLayout(net, names);
  const weightsBuffer = sharedFloats(weightsLayout);
  const weights = new Float32Array(weightsBuffer);
  writeVariables(net, weightsLayout, weights, names);
  const outputLayout: Layout = layoutOf([...o.trainable, ...o.runningStats].map((name) => ({ name, shape: net.variables.get(name)?.shape ?? [] })));
  const outputsBuffer = sharedFloats(outputLayout, o.workers);
  const reducer = createReducerBuffer(o.workers);
  const script = o.workerScript ?? defaultScript();
  let nextId = 1;
  let closed = false;

  const slots: Slot[] = [];
  for (let index = 0; index < o.workers; index++) {
    const data: ShardWorkerData = {
      backend: o.backend,
      inChannels: net.inChannels,
      numClasses: net.numClasses,
      index,
      workers: o.workers,
      reducer,
      weights: weightsBuffer,
      weightsLayout: weightsLayout.entries,
      outputs: outputsBuffer,
      outputLayout: outputLayout.entries,
    };
    const slot: Slot = { worker: startWorker(script, data), stale: new Set(), pending: null, dead: null };
    slots.push(slot);
  }

  const fail = (slot: Slot, why: string): void => {
    if (slot.dead) return;
    slot.dead = why;
    // Workers waiting for this one at a batch-norm barrier give up instead of waiting forever.
    abortReducer(reducer);
    const p = slot.pending;
    slot.pending = null;
    p?.reject(new Error(`a training shard worker stopped (${why})`));
  };

  await Promise.all(
    slots.map(
      (slot, index) =>
        new Promise<void>((resolve, reject) => {
          slot.worker.on('message', (raw: unknown) => {
            const parsed = ShardReplySchema.safeParse(raw);
            if (!parsed.success) return fail(slot, 'it sent a malformed message');
            const msg = parsed.data;
            if (msg.type === 'ready') return resolve();
            if (msg.type === 'fatal') return reject(new Error(`training shard worker ${index} failed to start: ${msg.message}`));
            const p = slot.pending;
            slot.pending = null;
            if (!p) return;
            if (msg.type === 'failed') {
              // Its partners may be waiting for it at a barrier: release them.
              abortReducer(reducer);
              p.reject(new Error(`training shard worker ${index}: ${msg.message}`));
            } else p.resolve(msg);
          });
          slot.worker.on('exit', (code) => {
            const why = lastWorkerError(slot.worker);
            fail(slot, `${why ? `${why}; ` : ''}exit code ${code}`);
            reject(new Error(`training shard worker ${index} exited while starting (${slot.dead ?? ''})`));
          });
        }),
    ),
  ).catch(async (err: unknown) => {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  });

  const send = (slot: Slot, request: ShardRequest, transfer: ArrayBuffer[]): Promise<ShardReply> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the training shard pool is closed'));
      if (slot.dead) return reject(new Error(`a training shard worker stopped (${slot.dead})`));
      slot.pending = { resolve, reject };
      slot.stale.clear();
      slot.worker.postMessage(request, transfer);
    });

  const staleOf = (slot: Slot): string[] => [...slot.stale];

  return {
    workers: o.workers,

    changed(changedNames) {
      writeVariables(net, weightsLayout, weights, changedNames);
      for (const slot of slots) for (const n of changedNames) slot.stale.add(n);
    },

    async step(tasks, common) {
      if (tasks.length > slots.length || tasks.length === 0) throw new Error(`${tasks.length} shards for ${slots.length} workers`);
      if (tasks.length !== slots.length) throw new Error('every shard worker must take part in a step (batch-norm barriers)');
      const replies = await Promise.all(
        tasks.map((t, i) => {
          const slot = slots[i] as Slot;
          return send(slot, { type: 'step', id: nextId++, reload: staleOf(slot), ...t, ...common }, [t.x.buffer as ArrayBuffer]);
        }),
      );
      const trainableLength = o.trainable.reduce((a, n) => a + (outputLayout.entries.find((e) => e.name === n)?.size ?? 0), 0);
      const grads = new Float32Array(trainableLength);
      let loss = 0;
      const logits: Float32Array[] = [];
      replies.forEach((reply, w) => {
        if (reply.type !== 'stepped') throw new Error(`unexpected reply ${reply.type}`);
        // Fixed order: worker 0 first, then 1, …: float addition is not associative.
        const region = new Float32Array(outputsBuffer, w * outputLayout.length * 4, trainableLength);
        for (let i = 0; i < trainableLength; i++) grads[i] = (grads[i] as number) + (region[i] as number);
        loss += reply.loss;
        logits.push(reply.logits);
      });
      const runningStats = new Float32Array(outputsBuffer, trainableLength * 4, outputLayout.length - trainableLength).slice();
      const all = new Float32Array(logits.reduce((a, l) => a + l.length, 0));
      let at = 0;
      for (const l of logits) {
        all.set(l, at);
        at += l.length;
      }
      return { loss, logits: all, grads, runningStats };
    },

    async features(chunks, from, to) {
      const out: Array<{ features: Float32Array; shape: [number, number, number, number] }> = new Array(chunks.length);
      // Round-robin in waves of one chunk per worker.
      for (let start = 0; start < chunks.length; start += slots.length) {
        const wave = chunks.slice(start, start + slots.length);
        const replies = await Promise.all(
          wave.map((c, i) => {
            const slot = slots[i] as Slot;
            return send(slot, { type: 'features', id: nextId++, reload: staleOf(slot), x: c.x, shape: c.shape, from, to }, [c.x.buffer as ArrayBuffer]);
          }),
        );
        replies.forEach((r, i) => {
          if (r.type !== 'features') throw new Error(`unexpected reply ${r.type}`);
          out[start + i] = { features: r.features, shape: r.shape };
        });
      }
      return out;
    },

    async close() {
      if (closed) return;
      closed = true;
      abortReducer(reducer);
      for (const slot of slots) {
        slot.pending?.reject(new Error('the training shard pool was closed'));
        slot.pending = null;
      }
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
