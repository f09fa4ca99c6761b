// Training throughput of the engine's real step (gradientEngine.ts + Adam, full-batch batch
// norm, data-parallel over `workers` shard workers) and a per-kernel profile of one step, for
// `npm run bench:train`.
import * as tf from '@tensorflow/tfjs-core';
import { BLOCK_NAMES, FEATURE_WIDTH } from '../../src-main/core/ml/model/architecture';
import { createMicraNet } from '../../src-main/core/ml/model/micranet';
import { Adam } from '../../src-main/core/ml/training/adam';
import { changedByStep } from '../../src-main/core/ml/training/blockForward';
import { createGradientEngine, type StepBatch } from '../../src-main/core/ml/training/gradientEngine';
import { mulberry32 } from '../../src-main/core/ml/training/seededRandom';
import { dropoutMultipliers } from '../../src-main/core/ml/training/shardStep';

export interface Throughput {
  size: number;
  batch: number;
  workers: number;
  /** Median seconds per step (after one warm-up step). */
  step_s: number;
  steps_s: number[];
  crops_per_s: number;
}

function batchOf(size: number, batch: number, seed: number): StepBatch {
  const r = mulberry32(seed);
  return {
    x: Float32Array.from({ length: batch * size * size }, () => r()),
    n: batch,
    shape: [size, size, 1],
    from: 0,
    trainFrom: 0,
    targets: Float32Array.from({ length: batch }, (_, i) => i % 2),
    weights: new Float32Array(batch).fill(1),
    dropout: dropoutMultipliers(r, batch, FEATURE_WIDTH, 0.5),
  };
}

export async function trainingThroughput(size: number, batch: number, workers: number, steps: number): Promise<Throughput> {
  const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 0 });
  const adam = new Adam(net.trainableVariables('all'));
  const engine = await createGradientEngine({ net, mode: 'all', workers, batchSize: batch });
  const times: number[] = [];
  try {
    for (let i = 0; i <= steps; i++) {
      const b = batchOf(size, batch, i);
      const t0 = performance.now();
      const r = await engine.step(b);
      adam.apply(r.grads, 1e-3);
      tf.dispose(r.grads);
      engine.changed(changedByStep('all'));
      if (i > 0) times.push((performance.now() - t0) / 1000);
    }
  } finally {
    await engine.close();
    adam.dispose();
    net.dispose();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)] as number;
  return { size, batch, workers: engine.workers, step_s: med, steps_s: times, crops_per_s: batch / med };
}

type Group = 'conv_forward' | 'conv_backprop_input' | 'conv_backprop_filter' | 'batch_norm_and_elementwise' | 'pooling' | 'other';

function groupOf(kernel: string): Group {
  if (kernel === 'Conv2D' || kernel === 'FusedConv2D') return 'conv_forward';
  if (kernel === 'Conv2DBackpropInput') return 'conv_backprop_input';
  if (kernel === 'Conv2DBackpropFilter') return 'conv_backprop_filter';
  if (kernel.startsWith('MaxPool') || kernel === 'Max') return 'pooling';
  if (['BatchMatMul', 'Adam'].includes(kernel)) return 'other';
  return 'batch_norm_and_elementwise';
}

/** Multiply-adds ×2 of each convolution of one training step (forward, backprop input, backprop filter). */
export function convFlops(size: number, batch: number): { forward: number; backpropInput: number; backpropFilter: number } {
  let side = size;
  let inC = 1;
  let forward = 0;
  let backpropInput = 0;
  const widths = [32, 32, 64, 64, 128, 128, 256, 256];
  BLOCK_NAMES.forEach((name, i) => {
    const outC = widths[i] as number;
    const f = 2 * batch * side * side * inC * outC * 9;
    forward += f;
    // Block 1a needs no gradient w.r.t. the input crops.
    if (i > 0) backpropInput += f;
    inC = outC;
    if (name === '1b' || name === '2b' || name === '3b') side /= 2;
  });
  return { forward, backpropInput, backpropFilter: forward };
}

/**
 * Per-kernel times of one step in this thread (one worker: a shard worker's step is the same
 * kernels on its shard), grouped, with each group's share of the step and the convolutions'
 * GFLOP/s. tf.profile times each kernel the engine dispatches; our backward convolutions call
 * the forward Conv2D inside their kernel, so their time is theirs.
 */
export async function kernelProfile(size: number, batch: number): Promise<{ step_s: number; groups: Record<Group, { ms: number; share: number; calls: number }>; conv_gflops: Record<string, number>; flops: ReturnType<typeof convFlops> }> {
  const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 0 });
  const adam = new Adam(net.trainableVariables('all'));
  const engine = await createGradientEngine({ net, mode: 'all', workers: 1, batchSize: batch });
  try {
    // Warm-up (allocations, XNNPACK operator creation).
    const warm = await engine.step(batchOf(size, batch, 0));
    tf.dispose(warm.grads);
    const t0 = performance.now();
    const info = await tf.profile(async () => {
      const r = await engine.step(batchOf(size, batch, 1));
      adam.apply(r.grads, 1e-3);
      tf.dispose(r.grads);
    });
    const stepMs = performance.now() - t0;
    const groups = {} as Record<Group, { ms: number; share: number; calls: number }>;
    for (const g of ['conv_forward', 'conv_backprop_input', 'conv_backprop_filter', 'batch_norm_and_elementwise', 'pooling', 'other'] as Group[]) groups[g] = { ms: 0, share: 0, calls: 0 };
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const g = groups[groupOf(k.name)];
      g.ms += ms;
      g.calls++;
    }
    let kernelMs = 0;
    for (const g of Object.values(groups)) kernelMs += g.ms;
    // What no kernel accounts for: JS between kernels, tensor creation, the tape.
    groups.other.ms += Math.max(0, stepMs - kernelMs);
    for (const g of Object.values(groups)) g.share = g.ms / stepMs;
    const flops = convFlops(size, batch);
    const conv_gflops = {
      forward: flops.forward / (groups.conv_forward.ms / 1000) / 1e9,
      backprop_input: flops.backpropInput / (groups.conv_backprop_input.ms / 1000) / 1e9,
      backprop_filter: flops.backpropFilter / (groups.conv_backprop_filter.ms / 1000) / 1e9,
    };
    return { step_s: stepMs / 1000, groups, conv_gflops, flops };
  } finally {
    await engine.close();
    adam.dispose();
    net.dispose();
  }
}
