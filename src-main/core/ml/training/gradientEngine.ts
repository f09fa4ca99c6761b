// Where a training step's gradients are computed: in the training thread itself (one worker,
// and any backend: tensors stay on the backend, nothing is read back) or split over W shard
// workers (data-parallel, CPU backends: wasm computes on one thread per engine). Both run
// shardStep.ts with full-batch batch norm, so they train the same weights up to float
// rounding; a given W gives the same bits run after run.
//
// A batch of B crops is split into min(W, B) contiguous shards of ⌈B/W⌉ or ⌊B/W⌋ crops. Steps
// that train the linear layer alone (cached 'linear' features) run here: a 256 × classes
// product is cheaper than a message.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend';
import type { FineTuneMode } from '../model/architecture';
import type { MicraNet } from '../model/micranet';
import { BLOCK_COUNT, inferenceBlocks, runningStatNames, trainableNames } from './blockForward';
import { ORDERED_LOCAL_REDUCER, TENSOR_REDUCER } from './sharedReducer';
import { createShardPool, type ShardPool, type ShardStepTask } from './shardPool';
import { shardGradients } from './shardStep';

export interface StepBatch {
  /** n inputs of `shape` each, concatenated: crops (from = 0) or frozen features. */
  x: Float32Array;
  n: number;
  shape: [number, number, number];
  from: number;
  trainFrom: number;
  targets: Float32Array;
  weights: Float32Array;
  /** [n × 256] dropout multipliers. */
  dropout: Float32Array;
}

export interface StepOutcome {
  loss: number;
  /** [n × classes] logits, batch order. */
  logits: Float32Array;
  /** Batch gradients in trainableVariables(mode) order; the caller disposes them. */
  grads: tf.Tensor[];
}

export interface GradientEngine {
  /** Shard workers in use (1: this thread). */
  readonly workers: number;
  step(b: StepBatch): Promise<StepOutcome>;
  /** The coordinator changed these variables (Adam, a restored checkpoint). */
  changed(names: readonly string[]): void;
  /** Frozen features (inference blocks [from, to)) of each input, `shape` each. */
  features(inputs: Float32Array[], shape: [number, number, number], from: number, to: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface GradientEngineOptions {
  net: MicraNet;
  mode: FineTuneMode;
  /** Requested workers (≥ 1); data-parallel only on the CPU backends. */
  workers: number;
  /** Crops per step: no more shards than crops. */
  batchSize: number;
  backend?: BackendName;
  workerScript?: URL;
}

/** Backends whose engines compute on one thread, which shard workers multiply. */
export function dataParallelBackend(name: string): boolean {
  return name === 'wasm' || name === 'cpu';
}

function weightCount(weights: Float32Array): number {
  let n = 0;
  for (const w of weights) if (w !== 0) n++;
  return n;
}

/** Crops per shard: as even as possible, the larger shards first. */
export function shardSizes(batch: number, workers: number): number[] {
  const w = Math.min(workers, batch);
  return Array.from({ length: w }, (_, i) => Math.floor(batch / w) + (i < batch % w ? 1 : 0));
}

async function localStep(net: MicraNet, vars: tf.Variable[], b: StepBatch): Promise<StepOutcome> {
  const classes = net.numClasses;
  const inputs = {
    x: tf.tensor4d(b.x, [b.n, ...b.shape]),
    targets: tf.tensor2d(b.targets, [b.n, classes]),
    weights: tf.tensor2d(b.weights, [b.n, classes]),
    dropout: tf.tensor2d(b.dropout, [b.n, b.dropout.length / b.n]),
  };
  try {
    // CPU backends: the shard workers' ordered sums, so one worker and W agree; GPU: no readback.
    const reducer = dataParallelBackend(tf.getBackend()) ? ORDERED_LOCAL_REDUCER : TENSOR_REDUCER;
    const r = shardGradients(net, vars, { ...inputs, from: b.from, trainFrom: b.trainFrom, batchSize: b.n, weightCount: weightCount(b.weights) }, reducer);
    const loss = (await r.loss.data())[0] as number;
    const logits = Float32Array.from((await r.logits.data()) as Float32Array);
    tf.dispose([r.loss, r.logits]);
    return { loss, logits, grads: r.grads };
  } finally {
    tf.dispose(Object.values(inputs));
  }
}

async function localFeatures(net: MicraNet, inputs: Float32Array[], shape: [number, number, number], from: number, to: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const input of inputs) {
    const f = tf.tidy(() => inferenceBlocks(net, tf.tensor4d(input, [1, ...shape]), from, to));
    out.push(Float32Array.from((await f.data()) as Float32Array));
    f.dispose();
  }
  return out;
}

export async function createGradientEngine(o: GradientEngineOptions): Promise<GradientEngine> {
  const { net, mode } = o;
  const vars = net.trainableVariables(mode);
  const names = trainableNames(mode);
  const stats = runningStatNames(mode);
  const workers = Math.max(1, Math.min(o.workers, o.batchSize));
  if (workers === 1 || !dataParallelBackend(tf.getBackend())) {
    return {
      workers: 1,
      step: (b) => localStep(net, vars, b),
      changed: () => undefined,
      features: (inputs, shape, from, to) => localFeatures(net, inputs, shape, from, to),
      close: async () => undefined,
    };
  }
  // The shard workers start on first use, from the variables as they are then (every worker
  // reads them all when it starts, so changes before that need no message). A run that only
  // trains the linear layer on stored features (a prepared retrain in 'linear' mode) never
  // starts them: each would load the engine and the whole network for nothing (seconds).
  let started: Promise<ShardPool> | null = null;
  let pool: ShardPool | null = null;
  const poolNow = (): Promise<ShardPool> =>
    (started ??= createShardPool({ net, workers, trainable: names, runningStats: stats, backend: o.backend, workerScript: o.workerScript }).then((p) => (pool = p)));
  return {
    workers,
    async step(b) {
      if (b.trainFrom >= BLOCK_COUNT || b.n < workers) return localStep(net, vars, b);
      const pool = await poolNow();
      const per = b.shape[0] * b.shape[1] * b.shape[2];
      const classes = net.numClasses;
      const width = b.dropout.length / b.n;
      let at = 0;
      const tasks: ShardStepTask[] = shardSizes(b.n, workers).map((n) => {
        const t: ShardStepTask = {
          // slice(): each shard gets its own buffer, transferred to its worker.
          x: b.x.slice(at * per, (at + n) * per),
          shape: [n, ...b.shape],
          targets: b.targets.slice(at * classes, (at + n) * classes),
          weights: b.weights.slice(at * classes, (at + n) * classes),
          dropout: b.dropout.slice(at * width, (at + n) * width),
        };
        at += n;
        return t;
      });
      const r = await pool.step(tasks, { from: b.from, trainFrom: b.trainFrom, batchSize: b.n, weightCount: weightCount(b.weights) });
      const grads: tf.Tensor[] = [];
      let offset = 0;
      for (const v of vars) {
        grads.push(tf.tensor(r.grads.subarray(offset, offset + v.size), v.shape, 'float32'));
        offset += v.size;
      }
      // Every worker computed the same running statistics; worker 0's become the model's.
      offset = 0;
      for (const name of stats) {
        const v = net.variables.get(name) as tf.Variable;
        const t = tf.tensor(r.runningStats.slice(offset, offset + v.size), v.shape, 'float32');
        v.assign(t);
        t.dispose();
        offset += v.size;
      }
      return { loss: r.loss, logits: r.logits, grads };
    },
    changed: (changedNames) => pool?.changed(changedNames),
    async features(inputs, shape, from, to) {
      const pool = await poolNow();
      // A few crops per message: fewer round trips, and each worker's batch stays small.
      const perChunk = Math.max(1, Math.min(4, Math.ceil(inputs.length / workers)));
      const per = shape[0] * shape[1] * shape[2];
      const chunks: Array<{ x: Float32Array; shape: [number, number, number, number] }> = [];
      for (let i = 0; i < inputs.length; i += perChunk) {
        const group = inputs.slice(i, i + perChunk);
        const x = new Float32Array(group.length * per);
        group.forEach((g, k) => x.set(g, k * per));
        chunks.push({ x, shape: [group.length, ...shape] });
      }
      const replies = await pool.features(chunks, from, to);
      const out: Float32Array[] = [];
      for (const r of replies) {
        const each = r.features.length / r.shape[0];
        for (let k = 0; k < r.shape[0]; k++) out.push(r.features.slice(k * each, (k + 1) * each));
      }
      return out;
    },
    async close() {
      if (!started) return;
      // A pool that failed to start has nothing to close (its failure was reported by the call that started it).
      const p = await started.catch(() => null);
      await p?.close();
    },
  };
}
