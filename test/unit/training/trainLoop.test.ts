// Real training at a tiny size on the cpu backend: the same seed gives bit-identical weights,
// another seed does not; a run interrupted after epoch 1 and resumed from its checkpoint ends
// with the same weights as the uninterrupted run; fine-tuning 'linear' leaves the convolutions
// untouched; cancel stops after the current step and keeps the last epoch's checkpoints (and
// scoring stops between batches).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/core/ml/backend';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { hasLastCheckpoint, bestManifestPath, readBestValidationProbabilities } from '../../../src-main/core/ml/training/checkpoint';
import { predictProbabilities } from '../../../src-main/core/ml/evaluation/predictProbabilities';
import { loadMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';
import { mulberry32 } from '../../../src-main/core/ml/training/seededRandom';
import { trainLoop, type TrainLoopOptions } from '../../../src-main/core/ml/training/trainLoop';
import { inMemorySampleSet, type TrainingSample } from '../../../src-main/core/ml/training/trainingSet';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';

const SIZE = 8;

/** Bright squares (positive) or none (negative) on noise. */
function samples(n: number, seed: number): TrainingSample[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const pixels = Float32Array.from({ length: SIZE * SIZE }, () => r() * 0.3);
    const positive = i % 2;
    if (positive) for (let y = 2; y < 6; y++) for (let x = 3; x < 7; x++) pixels[y * SIZE + x] = 0.9;
    return { pixels, targets: Float32Array.of(positive), weights: Float32Array.of(1) };
  });
}

const card = ModelCardSchema.parse({
  classes: ['blob'], inputSize: SIZE, inChannels: 1,
  preprocessing: { invert: false, normalisation: { kind: 'none' } },
  classThresholds: [0.5], provenance: {},
});

function weightsOf(net: MicraNet): Float32Array {
  const parts = [...net.variables.values()].map((v) => v.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('trainLoop', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-loop-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    await initBackend('cpu');
  });
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  async function run(seed: number, epochs: number, over: Partial<TrainLoopOptions> = {}, netSeed = 7): Promise<{ net: MicraNet; result: Awaited<ReturnType<typeof trainLoop>> }> {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: netSeed });
    const result = await trainLoop({
      net, card, mode: 'all',
      train: inMemorySampleSet(samples(8, 1)), validation: inMemorySampleSet(samples(4, 2)),
      inputSize: SIZE, epochs, batchSize: 4, learningRate: 1e-3, warmupSteps: 1, patience: 5,
      seed, augment: true, checkpointDir: tmp(), resume: false, ...over,
    });
    return { net, result };
  }

  it('is reproducible: same seed, identical weights after an epoch; another seed differs', async () => {
    const a = await run(11, 1);
    const b = await run(11, 1);
    const c = await run(12, 1);
    expect(weightsOf(b.net)).toEqual(weightsOf(a.net));
    expect(weightsOf(c.net)).not.toEqual(weightsOf(a.net));
    expect(a.result.history).toHaveLength(1);
    expect(a.result.steps).toBe(2);
    expect(a.result.history[0]!.valLoss).not.toBeNull();
    for (const r of [a, b, c]) r.net.dispose();
  }, 400_000);

  it('resumes from the last checkpoint to the same weights as an uninterrupted run', async () => {
    const whole = await run(5, 2);
    const dir = tmp();
    // Interrupted after epoch 1 (cancel before epoch 2's first step), in a network that is then
    // thrown away: the resumed run starts from a fresh network and only has the checkpoint.
    const controller = new AbortController();
    const interrupted = createMicraNet({ inChannels: 1, numClasses: 1, seed: 7 });
    await expect(
      trainLoop({
        net: interrupted, card, mode: 'all', train: inMemorySampleSet(samples(8, 1)), validation: inMemorySampleSet(samples(4, 2)),
        inputSize: SIZE, epochs: 2, batchSize: 4, learningRate: 1e-3, warmupSteps: 1, patience: 5, seed: 5, augment: true,
        checkpointDir: dir, resume: false, signal: controller.signal,
        onProgress: (p) => {
          if (p.type === 'epoch' && p.metrics.epoch === 1) controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    interrupted.dispose();
    expect(hasLastCheckpoint(dir)).toBe(true);
    const resumed = createMicraNet({ inChannels: 1, numClasses: 1, seed: 99 });
    const result = await trainLoop({
      net: resumed, card, mode: 'all', train: inMemorySampleSet(samples(8, 1)), validation: inMemorySampleSet(samples(4, 2)),
      inputSize: SIZE, epochs: 2, batchSize: 4, learningRate: 1e-3, warmupSteps: 1, patience: 5, seed: 5, augment: true,
      checkpointDir: dir, resume: true,
    });
    expect(result.resumedFromEpoch).toBe(1);
    expect(result.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(weightsOf(resumed)).toEqual(weightsOf(whole.net));
    expect(fs.existsSync(bestManifestPath(dir))).toBe(true);
    resumed.dispose();
    whole.net.dispose();
  }, 600_000);

  it('stops a cancelled epoch after the current step, keeping the checkpoints of the epoch before', async () => {
    const dir = tmp();
    const controller = new AbortController();
    const steps: Array<[number, number]> = [];
    const epochs: number[] = [];
    const writes: number[] = [];
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 7 });
    await expect(
      trainLoop({
        net, card, mode: 'all', train: inMemorySampleSet(samples(8, 1)), validation: inMemorySampleSet(samples(4, 2)),
        // Batches of 2: four steps an epoch; the cancel comes during epoch 2's second step.
        inputSize: SIZE, epochs: 3, batchSize: 2, learningRate: 1e-3, warmupSteps: 1, patience: 5, seed: 5, augment: false,
        checkpointDir: dir, resume: false, signal: controller.signal,
        critical: async (write) => {
          writes.push(steps.length);
          return write();
        },
        onProgress: (p) => {
          if (p.type === 'step') steps.push([p.epoch, p.step]);
          else epochs.push(p.metrics.epoch);
          if (p.type === 'step' && p.epoch === 2 && p.step === 1) controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    // The step during which the cancel arrived was the last one run.
    expect(steps).toEqual([[1, 1], [1, 2], [1, 3], [1, 4], [2, 1]]);
    expect(epochs).toEqual([1]);
    // One guarded write (best + last) at the end of epoch 1; none after the cancel.
    expect(writes).toEqual([4]);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'last', 'manifest.json'), 'utf8')) as { state: { epochsDone: number; globalStep: number } };
    expect(state.state).toMatchObject({ epochsDone: 1, globalStep: 4 });
    expect(fs.existsSync(bestManifestPath(dir))).toBe(true);
    net.dispose();
    // The best epoch's validation probabilities, kept with it, are what scoring its weights gives.
    const kept = await readBestValidationProbabilities(dir, 4, 1);
    const best = await loadMicraNetWeights(bestManifestPath(dir));
    const scored = await predictProbabilities(best.net, inMemorySampleSet(samples(4, 2)), SIZE);
    best.net.dispose();
    expect(kept).not.toBeNull();
    Array.from(scored).forEach((p, i) => expect(kept![i]).toBeCloseTo(p, 5));
    expect(await readBestValidationProbabilities(dir, 5, 1)).toBeNull();
  }, 400_000);

  it('scores a set in batches and stops between them when cancelled (evaluation jobs)', async () => {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 7 });
    const controller = new AbortController();
    const reports: number[] = [];
    await expect(
      predictProbabilities(net, inMemorySampleSet(samples(12, 3)), SIZE, {
        signal: controller.signal,
        progress: (done) => {
          reports.push(done);
          controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(reports).toEqual([4]);
    net.dispose();
  });

  it("fine-tunes only the linear layer in 'linear' mode", async () => {
    const before = createMicraNet({ inChannels: 1, numClasses: 1, seed: 7 });
    const conv = Float32Array.from(before.variables.get('conv2a.weight')!.dataSync());
    const lin = Float32Array.from(before.variables.get('linear1.weight')!.dataSync());
    before.dispose();
    const { net } = await run(3, 1, { mode: 'linear' });
    expect(Float32Array.from(net.variables.get('conv2a.weight')!.dataSync())).toEqual(conv);
    expect(Float32Array.from(net.variables.get('linear1.weight')!.dataSync())).not.toEqual(lin);
    net.dispose();
  }, 400_000);
});
