// A shard worker of data-parallel training (see shardPool.ts): one engine (wasm computes on one
// thread per engine) holding a copy of the model. Per step it re-reads the variables that
// changed from shared memory, computes its shard's loss and gradients with full-batch batch
// norm (the reducer), and writes the gradients, then its running statistics, into its own
// region of the outputs buffer. It also computes frozen features for the feature cache.
// Data-parallel training runs on the CPU backends only, so synchronous reads are fine here.
// Bundled to dist/compute/shardWorker.js; run from source through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { createMicraNet, type MicraNet } from '../model/micranet';
import { inferenceBlocks } from './blockForward';
import { ShardRequestSchema, ShardWorkerDataSchema, type ShardReply, type ShardRequest, type ShardWorkerData } from './shardProtocol';
import { shardGradients } from './shardStep';
import { SharedReducer } from './sharedReducer';
import { readVariables, type Layout } from './variableLayout';

interface WorkerState {
  net: MicraNet;
  data: ShardWorkerData;
  weights: Float32Array;
  weightsLayout: Layout;
  output: Float32Array;
  outputLayout: Layout;
  reducer: SharedReducer;
}

function layout(entries: ShardWorkerData['weightsLayout']): Layout {
  const last = entries.at(-1);
  return { entries, length: last ? last.offset + last.size : 0 };
}

function step(s: WorkerState, req: Extract<ShardRequest, { type: 'step' }>): ShardReply {
  const [n, , , ] = req.shape;
  const classes = s.net.numClasses;
  const grads = s.outputLayout.entries.filter((e) => !e.name.includes('running_'));
  const vars = grads.map((e) => {
    const v = s.net.variables.get(e.name);
    if (!v) throw new Error(`the network has no variable ${e.name}`);
    return v;
  });
  return tf.tidy(() => {
    const r = shardGradients(
      s.net,
      vars,
      {
        x: tf.tensor4d(req.x, req.shape),
        from: req.from,
        trainFrom: req.trainFrom,
        targets: tf.tensor2d(req.targets, [n, classes]),
        weights: tf.tensor2d(req.weights, [n, classes]),
        dropout: tf.tensor2d(req.dropout, [n, req.dropout.length / n]),
        batchSize: req.batchSize,
        weightCount: req.weightCount,
      },
      s.reducer,
    );
    r.grads.forEach((g, i) => s.output.set(g.dataSync() as Float32Array, (grads[i] as { offset: number }).offset));
    for (const e of s.outputLayout.entries) {
      if (!e.name.includes('running_')) continue;
      s.output.set(s.net.variables.get(e.name)?.dataSync() as Float32Array, e.offset);
    }
    const logits = Float32Array.from(r.logits.dataSync() as Float32Array);
    return { type: 'stepped', id: req.id, loss: r.loss.dataSync()[0] as number, logits };
  });
}

function features(s: WorkerState, req: Extract<ShardRequest, { type: 'features' }>): ShardReply {
  return tf.tidy(() => {
    const f = inferenceBlocks(s.net, tf.tensor4d(req.x, req.shape), req.from, req.to);
    const [n, h, w, c] = f.shape;
    return { type: 'features', id: req.id, features: Float32Array.from(f.dataSync() as Float32Array), shape: [n, h, w, c] };
  });
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('shardWorkerEntry must run in a worker thread');
  let s: WorkerState;
  try {
    const data = ShardWorkerDataSchema.parse(workerData);
    await initBackend(data.backend);
    const net = createMicraNet({ inChannels: data.inChannels, numClasses: data.numClasses, seed: 0 });
    const weightsLayout = layout(data.weightsLayout);
    const outputLayout = layout(data.outputLayout);
    const weights = new Float32Array(data.weights);
    readVariables(net, weightsLayout, weights, weightsLayout.entries.map((e) => e.name));
    const output = new Float32Array(data.outputs, data.index * outputLayout.length * 4, outputLayout.length);
    s = { net, data, weights, weightsLayout, output, outputLayout, reducer: new SharedReducer(data.reducer, data.workers, data.index) };
    port.postMessage({ type: 'ready' } satisfies ShardReply);
  } catch (err) {
    port.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) } satisfies ShardReply);
    return;
  }
  port.on('message', (raw: unknown) => {
    const parsed = ShardRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : -1;
      port.postMessage({ type: 'failed', id, message: `malformed request: ${parsed.error.message}` } satisfies ShardReply);
      return;
    }
    const req = parsed.data;
    try {
      readVariables(s.net, s.weightsLayout, s.weights, req.reload);
      const reply = req.type === 'step' ? step(s, req) : features(s, req);
      const transfer = reply.type === 'stepped' ? [reply.logits.buffer] : reply.type === 'features' ? [reply.features.buffer] : [];
      port.postMessage(reply, transfer as ArrayBuffer[]);
    } catch (err) {
      port.postMessage({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) } satisfies ShardReply);
    }
  });
}

void main();
