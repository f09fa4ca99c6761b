// `npm run bench:train` → JSON on stdout.
//  1. Training throughput (crops/s) of the engine's training step (trainThroughput.ts: Adam +
//     BCE, full-batch batch norm) at 256², batch 4 and 8 (CONFIGS), with one worker and with
//     every core (data-parallel shard workers, WORKERS), against the PyTorch baseline
//     (test/bench/pytorch/train_baseline.py with as many threads, same configs, same run), and
//     a per-kernel profile of one step in both (where the time goes, conv GFLOP/s).
//  2. The cluttered-digits reproduction (paper: 98.9 ± 0.5 % accuracy; precise > coarse maps)
//     at the scale given by DIGITS_TRAIN / DIGITS_TEST / DIGITS_EPOCHS (the full scale, 2,000
//     training fields, does not fit this 2-core CPU: the JSON says which scale ran):
//     multi-label accuracy on test fields, and segmentation F1/IoU of the precise (PCA → EM)
//     vs coarse (block 8) maps of the present digits against the digit masks.
// Environment: MICRA_BACKEND (default wasm), STEPS, CONFIGS (e.g. 256x4,256x8), WORKERS, DIGITS_TRAIN, DIGITS_TEST, DIGITS_EPOCHS,
// DIGITS_SEGMENT (test fields segmented), SKIP_PYTORCH=1, SKIP_DIGITS=1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, isBackendName } from '../../src-main/core/ml/backend';
import { createMicraNet } from '../../src-main/core/ml/model/micranet';
import { trainLoop } from '../../src-main/core/ml/training/trainLoop';
import type { SampleSet } from '../../src-main/core/ml/training/trainingSet';
import { ModelCardSchema } from '../../src-main/core/ml/weights/modelCard';
import { predictProbabilities } from '../../src-main/core/ml/evaluation/predictProbabilities';
import { classificationScores, segmentationScores } from '../../src-main/core/metrics';
import { computeMaps } from '../../src-main/core/ml/explain/micranetMaps';
import { emPostprocess } from '../../src-main/core/ml/postprocess/emPostprocess';
import { generateClutteredDigits, type ClutteredDigits } from '../generators/digits';
import { kernelProfile, trainingThroughput, type Throughput } from './trainThroughput';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

function digitSet(fields: readonly ClutteredDigits[]): SampleSet {
  return {
    count: fields.length,
    get: async (i) => {
      const f = fields[i] as ClutteredDigits;
      return { pixels: f.pixels, targets: Float32Array.from(f.labels), weights: new Float32Array(10).fill(1) };
    },
  };
}

async function digits(backend: string) {
  const scale = { train: env('DIGITS_TRAIN', 64), test: env('DIGITS_TEST', 32), epochs: env('DIGITS_EPOCHS', 2), segmented: env('DIGITS_SEGMENT', 4) };
  const train = Array.from({ length: scale.train }, (_, i) => generateClutteredDigits({ seed: i, pool: 'train' }));
  const test = Array.from({ length: scale.test }, (_, i) => generateClutteredDigits({ seed: i, pool: 'test' }));
  const size = train[0]?.size ?? 256;
  const card = ModelCardSchema.parse({ classes: Array.from({ length: 10 }, (_, d) => String(d)), inputSize: size, inChannels: 1, preprocessing: {}, classThresholds: new Array(10).fill(0.5), provenance: {} });
  const net = createMicraNet({ inChannels: 1, numClasses: 10, seed: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-bench-digits-'));
  const t0 = performance.now();
  const loop = await trainLoop({
    net, card, mode: 'all', train: digitSet(train), validation: null, inputSize: size, epochs: scale.epochs,
    batchSize: 4, learningRate: 1e-3, patience: 100, seed: 1, augment: false, checkpointDir: dir, resume: false,
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const probs = await predictProbabilities(net, digitSet(test), size);
  const labels = new Float32Array(test.length * 10);
  test.forEach((f, i) => labels.set(f.labels, i * 10));
  const cls = classificationScores({ count: test.length, classes: 10, scores: probs, labels }, 0.5);
  const seg = { precise: { f1: 0, iou: 0 }, coarse: { f1: 0, iou: 0 }, pairs: 0 };
  for (const f of test.slice(0, scale.segmented)) {
    for (let d = 0; d < 10; d++) {
      if (!f.labels[d]) continue;
      const maps = await computeMaps(net, f.pixels, size, size, d);
      const truth = { data: f.classMasks[d] as Uint8Array, width: size, height: size };
      const p = segmentationScores(truth, maps.preciseMask);
      const c = segmentationScores(truth, emPostprocess(maps.coarse));
      seg.precise.f1 += p.f1;
      seg.precise.iou += p.iou;
      seg.coarse.f1 += c.f1;
      seg.coarse.iou += c.iou;
      seg.pairs++;
    }
  }
  const m = (v: number) => (seg.pairs ? v / seg.pairs : null);
  net.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    scale: { ...scale, note: 'paper scale is 2,000 training fields of 256², 10 classes; this run is smaller (CPU time)' },
    backend,
    train_seconds: trainSeconds,
    final_train_loss: loop.history.at(-1)?.trainLoss ?? null,
    accuracy: cls.meanAccuracy,
    exact_match: cls.exactMatch,
    paper_accuracy: 0.989,
    segmentation: {
      pairs: seg.pairs,
      precise: { f1: m(seg.precise.f1), iou: m(seg.precise.iou) },
      coarse: { f1: m(seg.coarse.f1), iou: m(seg.coarse.iou) },
    },
  };
}

async function main(): Promise<void> {
  const requested = process.env['MICRA_BACKEND'] ?? 'wasm';
  const backend = await initBackend(isBackendName(requested) ? requested : 'wasm');
  const steps = env('STEPS', 3);
  const allWorkers = env('WORKERS', os.availableParallelism());
  const configs = (process.env['CONFIGS'] ?? '256x4,256x8').split(',').map((c) => c.split('x').map(Number) as [number, number]);
  const load = [os.loadavg()];
  const tfjs: Throughput[] = [];
  for (const [size, batch] of configs) {
    for (const workers of [...new Set([1, allWorkers])]) tfjs.push(await trainingThroughput(size, batch, workers, steps));
  }
  const [profSize, profBatch] = configs[0] ?? [256, 4];
  const profile = await kernelProfile(profSize, profBatch);
  load.push(os.loadavg());
  let pytorch: unknown = null;
  if (process.env['SKIP_PYTORCH'] !== '1') {
    const script = path.join(import.meta.dirname, 'pytorch', 'train_baseline.py');
    const args = [script, '--threads', String(allWorkers), '--steps', String(steps), '--configs', configs.map((c) => c.join('x')).join(','), '--profile', `${profSize}x${profBatch}`];
    pytorch = JSON.parse(execFileSync('/usr/bin/python3', args, { encoding: 'utf8' }));
  }
  load.push(os.loadavg());
  const pt = (pytorch as { runs?: { size: number; batch: number; crops_per_s: number }[] } | null)?.runs ?? [];
  const throughput = tfjs.map((t) => {
    const base = pt.find((r) => r.size === t.size && r.batch === t.batch);
    const one = tfjs.find((u) => u.size === t.size && u.batch === t.batch && u.workers === 1);
    return {
      ...t,
      speedup_vs_1_worker: one ? t.crops_per_s / one.crops_per_s : null,
      pytorch_crops_per_s: base?.crops_per_s ?? null,
      ratio_vs_pytorch: base ? t.crops_per_s / base.crops_per_s : null,
    };
  });
  const ptProfile = (pytorch as { profile?: { groups_ms: Record<string, number>; total_self_ms: number } } | null)?.profile ?? null;
  const pytorchConvGflops = ptProfile
    ? {
        forward: profile.flops.forward / ((ptProfile.groups_ms['conv_forward'] ?? NaN) / 1000) / 1e9,
        // PyTorch computes both backward convolutions in one op.
        backward: (profile.flops.backpropInput + profile.flops.backpropFilter) / ((ptProfile.groups_ms['conv_backward'] ?? NaN) / 1000) / 1e9,
      }
    : null;
  const kernel_profile = { size: profSize, batch: profBatch, workers: 1, tfjs: profile, pytorch: ptProfile, pytorch_conv_gflops: pytorchConvGflops };
  const digitsResult = process.env['SKIP_DIGITS'] === '1' ? null : await digits(backend.name);
  const machine = { cpus: os.cpus().length, availableParallelism: os.availableParallelism(), loadavg_before_during_after: [...load, os.loadavg()] };
  console.log(JSON.stringify({ backend: backend.name, machine, throughput, kernel_profile, pytorch, digits: digitsResult }, null, 1));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
