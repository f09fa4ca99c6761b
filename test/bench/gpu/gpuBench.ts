// GPU figures (issue 13), as one JSON object on stdout: `micra doctor`'s report, webgpu parity
// at 256² (against the PyTorch reference fixture and the wasm backend), and throughput on
// webgpu — sweep forward (+ the block-4b map the object sweep uses), full Grad-CAM, training
// steps — at 256² and 512², each beside PyTorch's figure for the same work from the same run
// (scripts/gpu/pytorch_cuda.py's JSON, given with --pytorch). Bundled with its dependencies by
// scripts/gpu/prepare.sh and run on the GPU machine by scripts/gpu/run.sh.
//
// Sizes are settings, so the whole run can be checked on SwiftShader at small sizes:
//   MICRA_GPU_PARITY=256  MICRA_GPU_SWEEP=256x1,256x16,512x1,512x16  MICRA_GPU_TRAIN=256x32,512x8
//   MICRA_GPU_REPEATS=5   MICRA_FIXTURE_DIR=…/micranet-reference
// A failure to start webgpu is reported in the JSON (`webgpu.error`) with the doctor's reasons.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { doctorReport, type DoctorReport } from '../../../src-main/cli/commands/doctorCommand';
import { initBackend } from '../../../src-main/core/ml/backend';
import { gradCamAllBlocks } from '../../../src-main/core/ml/explain/gradcam';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { Adam } from '../../../src-main/core/ml/training/adam';
import { computeParity, type ParityPlan } from './parityCompute';
import { parityVsFixture, parityVsWasm, round } from './parityReport';

// ---- settings ----

interface Config {
  size: number;
  batch: number;
}

function configs(text: string): Config[] {
  return text.split(',').map((c) => {
    const [size, batch] = c.split('x').map(Number);
    if (!Number.isInteger(size) || !Number.isInteger(batch)) throw new Error(`bad SIZExBATCH: ${c}`);
    return { size: size as number, batch: batch as number };
  });
}

const env = process.env;
const PARITY_SIZE = Number(env['MICRA_GPU_PARITY'] ?? 256);
const SWEEP = configs(env['MICRA_GPU_SWEEP'] ?? '256x1,256x16,512x1,512x16');
const GRADCAM_SIZES = [...new Set(SWEEP.map((c) => c.size))];
const TRAIN = configs(env['MICRA_GPU_TRAIN'] ?? '256x32,512x8');
const REPEATS = Number(env['MICRA_GPU_REPEATS'] ?? 5);
const { values: args } = parseArgs({ options: { pytorch: { type: 'string' }, fixture: { type: 'string' } } });
const FIXTURE = path.resolve(args.fixture ?? env['MICRA_FIXTURE_DIR'] ?? path.join(import.meta.dirname, '../../../../shared/fixtures/micranet-reference'));

// ---- helpers ----

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median seconds of `fn` over REPEATS runs after one warm-up (shader compilation, allocators). */
async function timed(fn: () => Promise<void>): Promise<{ seconds: number; runs: number[] }> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await fn();
    runs.push((performance.now() - t) / 1000);
  }
  return { seconds: median(runs), runs };
}

// ---- throughput on the active backend ----

function randomCrops(n: number, size: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, size, size, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
}

/** The sweep's forward: logits and the block-4b map of every crop of a batch, read back. */
async function sweepRate(net: MicraNet, c: Config) {
  const x = randomCrops(c.batch, c.size, 1);
  try {
    const { seconds, runs } = await timed(async () => {
      const { logits, cam } = net.predictWithCam(x, 0);
      await Promise.all([logits.data(), cam.data()]);
      tf.dispose([logits, cam]);
    });
    return { size: c.size, batch: c.batch, cropsPerSecond: round(c.batch / seconds, 4), secondsPerBatch: round(seconds, 4), runs: runs.map((r) => round(r, 4)) };
  } finally {
    x.dispose();
  }
}

/** Explaining a crop: Grad-CAM of all eight blocks (one crop at a time, as the engine does). */
async function gradcamRate(net: MicraNet, size: number) {
  const x = randomCrops(1, size, 2);
  try {
    const { seconds } = await timed(async () => {
      await gradCamAllBlocks(net, x, 0);
    });
    return { size, cropsPerSecond: round(1 / seconds, 4), secondsPerCrop: round(seconds, 4) };
  } finally {
    x.dispose();
  }
}

/** Training steps of every layer: forwardTrain, BCE, gradients, Adam; the loss is read back. */
async function trainRate(c: Config) {
  const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 3 });
  const vars = net.trainableVariables('all');
  const adam = new Adam(vars);
  const x = randomCrops(c.batch, c.size, 3);
  const y = tf.tensor2d(Float32Array.from({ length: c.batch }, (_, i) => i % 2), [c.batch, 1]);
  try {
    const { seconds, runs } = await timed(async () => {
      const { value, grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, net.forwardTrain(x)) as tf.Scalar, vars);
      const ordered = vars.map((v) => grads[v.name] as tf.Tensor);
      adam.apply(ordered, 1e-3);
      await value.data();
      tf.dispose([value, ...ordered]);
    });
    return { size: c.size, batch: c.batch, cropsPerSecond: round(c.batch / seconds, 4), secondsPerStep: round(seconds, 4), runs: runs.map((r) => round(r, 4)) };
  } finally {
    adam.dispose();
    net.dispose();
    tf.dispose([x, y]);
  }
}

// ---- PyTorch's figures from the same run ----

interface TorchRow {
  size: number;
  batch?: number;
  crops_per_s: number;
}
interface TorchFigures {
  device: string;
  gpu: string | null;
  torch: string;
  sweep: TorchRow[];
  gradcam: TorchRow[];
  train: TorchRow[];
}

function torchRate(rows: TorchRow[] | undefined, size: number, batch?: number): number | null {
  return rows?.find((r) => r.size === size && (batch === undefined || r.batch === batch))?.crops_per_s ?? null;
}

function beside<T extends { size: number; batch?: number; cropsPerSecond: number }>(ours: T, rows: TorchRow[] | undefined) {
  const torch = torchRate(rows, ours.size, ours.batch);
  return { ...ours, pytorchCropsPerSecond: torch === null ? null : round(torch, 4), ratioToPytorch: torch === null ? null : round(ours.cropsPerSecond / torch, 3) };
}

// ---- the run ----

async function main(): Promise<number> {
  const started = performance.now();
  const torch = args.pytorch ? (JSON.parse(readFileSync(args.pytorch, 'utf8')) as TorchFigures) : null;
  const result: Record<string, unknown> = { settings: { parity: PARITY_SIZE, sweep: SWEEP, train: TRAIN, repeats: REPEATS, fixture: FIXTURE } };
  let doctor: DoctorReport | null = null;
  try {
    doctor = await doctorReport();
  } catch (err) {
    result['doctorError'] = err instanceof Error ? err.message : String(err);
  }
  result['doctor'] = doctor;
  result['pytorch'] = torch;

  const webgpu = await initBackend('webgpu');
  if (webgpu.name !== 'webgpu') {
    // Exactly what failed, for the report: the forced backend's reason and the doctor's view.
    result['webgpu'] = { started: false, error: webgpu.tried.find((t) => t.name === 'webgpu')?.reason ?? webgpu.reason };
    console.log(JSON.stringify(result, null, 1));
    return 1;
  }
  result['webgpu'] = { started: true, adapter: webgpu.adapter };

  // Parity: every fixture case at PARITY_SIZE, a training step of the three cases.
  const plan: ParityPlan = { fixtureDir: FIXTURE, cases: [0, 1, 2], forwardSize: PARITY_SIZE, mapsSize: PARITY_SIZE, trainSize: PARITY_SIZE, trainBatch: 3 };
  const onGpu = await computeParity(plan);
  await initBackend('wasm');
  const onWasm = await computeParity(plan);
  await initBackend('webgpu');
  const vsFixture = await parityVsFixture(onGpu, PARITY_SIZE, FIXTURE);
  const vsWasm = parityVsWasm(onGpu, onWasm);
  result['parity'] = { size: PARITY_SIZE, vsFixture, vsWasm, seconds: { webgpu: onGpu.seconds, wasm: onWasm.seconds } };

  // Throughput on webgpu, random weights (speed does not depend on them).
  const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 5 });
  const sweep: Array<{ size: number; batch: number; cropsPerSecond: number }> = [];
  for (const c of SWEEP) sweep.push(beside(await sweepRate(net, c), torch?.sweep));
  const gradcam: Array<{ size: number; cropsPerSecond: number }> = [];
  for (const size of GRADCAM_SIZES) gradcam.push(beside(await gradcamRate(net, size), torch?.gradcam));
  net.dispose();
  const train: Array<{ size: number; batch: number; cropsPerSecond: number }> = [];
  for (const c of TRAIN) train.push(beside(await trainRate(c), torch?.train));
  // The sweep target: a 10,240² image in crops of `size` (no overlap), at the best batch.
  const sweep10k = GRADCAM_SIZES.map((size) => {
    const best = Math.max(...sweep.filter((s) => s.size === size).map((s) => s.cropsPerSecond));
    const crops = Math.ceil(10240 / size) ** 2;
    return { size, crops, seconds: round(crops / best, 4) };
  });
  result['throughput'] = { sweep, gradcam, train, sweep10240: sweep10k };
  result['seconds'] = round((performance.now() - started) / 1000, 4);
  console.log(JSON.stringify(result, null, 1));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.log(JSON.stringify({ error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
    process.exit(1);
  },
);
