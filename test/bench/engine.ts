// `npm run bench:engine`: the MICRA-Net engine against a PyTorch baseline of the same
// architecture, in the same run, on this machine. Prints one JSON object: both sides, and the
// ratios against the budgets of issue 5 (forward and forward + Grad-CAM ≥ 1/2.5 of PyTorch,
// a training step ≥ 1/3, a sweep worker's peak memory ≤ 1.5 GB).
//
//   tsx test/bench/engine.ts [--repeats N] [--no-pytorch] [--cpu] [--workers N]
//   tsx test/bench/engine.ts --rss-probe   (internal: one engine's sweep, prints its peak RSS)
//
// Numbers are medians over repeats. The machine may be shared: the load average at start and
// end is printed, and only ratios from one run should be compared.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend, type BackendName } from '../../src-main/core/ml/backend';
import { gradCamAllBlocks } from '../../src-main/core/ml/explain/gradcam';
import { createMicraNet, type MicraNet } from '../../src-main/core/ml/model/micranet';
import { createEnginePool } from '../../src-main/core/ml/workerPool';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const CROP = 512;
const TRAIN_SIZE = 256;
const TRAIN_BATCH = 8;
const MODEL = { inChannels: 1, numClasses: 1, seed: 0 };

// The stock wasm Conv2DBackpropInput, captured before initBackend replaces it: the baseline
// of the kernel comparison.
const stockBackpropInput = getKernel('Conv2DBackpropInput', 'wasm');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (x: number, digits = 3): number => Number(x.toPrecision(digits));

function randomValues(seed: number, count: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  });
}

/** Times `fn` `repeats` times after one warm-up; returns the run times in ms. */
async function timeRuns(repeats: number, fn: () => Promise<void> | void): Promise<number[]> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(performance.now() - t0);
  }
  return runs;
}

async function pytorchBaseline(repeats: number): Promise<Record<string, unknown>> {
  const script = path.join(here, 'pytorch', 'micranet_baseline.py');
  const { stdout } = await run('/usr/bin/python3', [script, '--threads', String(os.availableParallelism()), '--repeats', String(repeats)], {
    maxBuffer: 1 << 24,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** Sweep throughput through the worker pool: forward, then forward + Grad-CAM (crops/s). */
async function poolThroughput(workers: number, repeats: number, backend: BackendName) {
  const pool = await createEnginePool({ workers, backend, randomModel: MODEL });
  try {
    const crops = Array.from({ length: workers * 2 }, (_, i) => randomValues(i + 1, CROP * CROP));
    const forwardRuns = await timeRuns(repeats, async () => void (await pool.predictBatch(crops, CROP)));
    const gradcamRuns = await timeRuns(repeats, async () => void (await pool.gradCamBatch(crops, CROP, 0)));
    const memory = await pool.memory();
    const perRound = crops.length;
    return {
      backend: pool.backend,
      workers,
      crops_per_round: perRound,
      forward: { crops_per_s: round((perRound * 1000) / median(forwardRuns)), runs_ms: forwardRuns.map((t) => round(t)) },
      gradcam: { crops_per_s: round((perRound * 1000) / median(gradcamRuns)), runs_ms: gradcamRuns.map((t) => round(t)) },
      worker_heap_plus_external_peak_mb: memory.map((m) => round(m.peakBytes / 2 ** 20)),
    };
  } finally {
    await pool.close();
  }
}

/** One Adam step (batch 8 at 256², BCE with logits) in this thread; median ms. */
async function trainingStep(net: MicraNet, repeats: number): Promise<{ ms: number; runs_ms: number[] }> {
  const x = tf.tensor4d(randomValues(99, TRAIN_BATCH * TRAIN_SIZE * TRAIN_SIZE), [TRAIN_BATCH, TRAIN_SIZE, TRAIN_SIZE, 1]);
  const y = tf.tensor2d(Float32Array.from({ length: TRAIN_BATCH }, (_, i) => i % 2), [TRAIN_BATCH, 1]);
  const optimizer = tf.train.adam(1e-3);
  const vars = net.trainableVariables('all');
  const step = async (): Promise<void> => {
    const loss = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(y, net.forwardTrain(x)) as tf.Scalar, true, vars);
    await loss?.data();
    loss?.dispose();
  };
  const runs = await timeRuns(repeats, step);
  optimizer.dispose();
  tf.dispose([x, y]);
  return { ms: round(median(runs)), runs_ms: runs.map((t) => round(t)) };
}

/** The backward-convolution kernels on one MICRA-Net layer shape (block 1b at 256², batch 1). */
async function kernelComparison(repeats: number) {
  const shape: [number, number, number, number] = [1, 256, 256, 32];
  const x = tf.randomNormal(shape) as tf.Tensor4D;
  const dy = tf.randomNormal(shape) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32]) as tf.Tensor4D;
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' } as const;
  const timed = async (f: () => tf.Tensor, n = repeats): Promise<number> =>
    round(median(await timeRuns(n, async () => {
      const r = f();
      await r.data();
      r.dispose();
    })));
  const forward = await timed(() => tf.conv2d(x, w, 1, 'same'));
  const input = await timed(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: shape }) as tf.Tensor);
  const filter = await timed(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as tf.Tensor);
  let stock: number | null = null;
  if (stockBackpropInput) {
    const backend = tf.backend();
    stockBackpropInput.setupFunc?.(backend);
    stock = await timed(() => {
      const info = stockBackpropInput.kernelFunc({ inputs: { dy, filter: w }, backend, attrs: { ...attrs, inputShape: shape } }) as tf.TensorInfo;
      return tf.engine().makeTensorFromTensorInfo(info);
    }, 1);
  }
  tf.dispose([x, dy, w]);
  return {
    shape: 'x, dy [1, 256, 256, 32], filter [3, 3, 32, 32]',
    conv2d_forward_ms: forward,
    backprop_input_fast_ms: input,
    backprop_input_stock_ms: stock,
    backprop_filter_fast_ms: filter,
  };
}

/** A single-engine sweep (forward + Grad-CAM of 512² crops) in its own process: peak RSS. */
async function rssProbe(): Promise<void> {
  await initBackend('wasm');
  const net = createMicraNet(MODEL);
  for (let i = 0; i < 3; i++) {
    const x = tf.tensor4d(randomValues(i, CROP * CROP), [1, CROP, CROP, 1]);
    tf.tidy(() => net.predict(x)).dispose();
    await gradCamAllBlocks(net, x, 0);
    x.dispose();
  }
  process.stdout.write(JSON.stringify({ peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
}

async function sweepWorkerPeakRss(): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const tsxCli = path.join(here, '../../node_modules/tsx/dist/cli.mjs');
  const { stdout } = await run(process.execPath, [tsxCli, self, '--rss-probe'], { maxBuffer: 1 << 20 });
  const line = stdout.trim().split('\n').pop() ?? '{}';
  return round((JSON.parse(line) as { peak_rss_mb: number }).peak_rss_mb);
}

async function cpuReference(): Promise<{ forward_ms: number }> {
  await initBackend('cpu');
  const net = createMicraNet(MODEL);
  const x = tf.tensor4d(randomValues(5, CROP * CROP), [1, CROP, CROP, 1]);
  const t0 = performance.now();
  const y = net.predict(x);
  await y.data();
  const ms = performance.now() - t0;
  tf.dispose([x, y]);
  net.dispose();
  return { forward_ms: round(ms) };
}

function ratio(ours: number, theirs: number, budget: number, higherIsBetter = true) {
  const r = higherIsBetter ? ours / theirs : theirs / ours;
  return { ratio: round(r), budget: round(budget), pass: r >= budget };
}

async function main(): Promise<void> {
  if (process.argv.includes('--rss-probe')) return rssProbe();
  const repeats = Number(arg('--repeats') ?? 3);
  const workers = Number(arg('--workers') ?? os.availableParallelism());
  const loadStart = os.loadavg();

  const pytorch = process.argv.includes('--no-pytorch') ? null : await pytorchBaseline(repeats);

  const info = await initBackend();
  const net = createMicraNet(MODEL);
  const kernels = info.name === 'wasm' ? await kernelComparison(repeats) : null;
  const train = await trainingStep(net, repeats);
  net.dispose();
  const sweep = await poolThroughput(workers, repeats, info.name);
  const rss = await sweepWorkerPeakRss();
  const cpu = process.argv.includes('--cpu') ? await cpuReference() : null;

  const tfjs = {
    backend: info,
    workers,
    forward_crops_per_s: sweep.forward.crops_per_s,
    gradcam_crops_per_s: sweep.gradcam.crops_per_s,
    train_step_ms: train.ms,
    sweep_worker_peak_rss_mb: rss,
    details: { sweep, train, kernels, cpu_reference: cpu },
  };
  const pt = pytorch as null | {
    forward_crops_per_s: number;
    forward_batch1: { runs_ms: number[] };
    forward_batch4: { runs_ms: number[] };
    gradcam: { crops_per_s: number; runs_ms: number[] };
    train_step: { ms: number; runs_ms: number[] };
  };
  const ratios = pt
    ? {
        forward: ratio(tfjs.forward_crops_per_s, pt.forward_crops_per_s, 1 / 2.5),
        gradcam: ratio(tfjs.gradcam_crops_per_s, pt.gradcam.crops_per_s, 1 / 2.5),
        train_step: ratio(tfjs.train_step_ms, pt.train_step.ms, 1 / 3, false),
      }
    : null;
  // On a shared machine the medians move with other people's load; the best run of each side
  // is the least disturbed one, so its ratio is printed too, as a check on the noise.
  const perRound = sweep.crops_per_round;
  const ratiosBestRuns = pt
    ? {
        forward: round(
          (perRound * 1000) / Math.min(...sweep.forward.runs_ms) /
            Math.max(1000 / Math.min(...pt.forward_batch1.runs_ms), 4000 / Math.min(...pt.forward_batch4.runs_ms)),
        ),
        gradcam: round(((perRound * 1000) / Math.min(...sweep.gradcam.runs_ms)) / (1000 / Math.min(...pt.gradcam.runs_ms))),
        train_step: round(Math.min(...pt.train_step.runs_ms) / Math.min(...train.runs_ms)),
      }
    : null;
  const memory = { sweep_worker_peak_rss_mb: rss, budget_mb: 1536, pass: rss <= 1536 };
  console.log(
    JSON.stringify(
      {
        machine: { cpus: os.availableParallelism(), load_average_start: loadStart.map((l) => round(l)), load_average_end: os.loadavg().map((l) => round(l)) },
        repeats,
        ratios,
        ratios_best_runs: ratiosBestRuns,
        memory,
        tfjs,
        pytorch,
      },
      null,
      2,
    ),
  );
}

await main();
