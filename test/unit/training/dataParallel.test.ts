// Data-parallel training and the frozen-feature cache, on the wasm backend (the production CPU
// path) with 64² crops: two shard workers train the same weights as one within float
// tolerance and the same bits run after run; resume from a checkpoint is exact with two
// workers; a cancel stops after the current step; cached fine-tuning gives the weights of
// uncached fine-tuning, leaves the frozen blocks (running statistics included) untouched,
// spills beyond its memory bound and removes its folder at the end; with a persistent feature
// store, a warm retrain gives the cold run's weights to the bit, a retrain with more crops
// (indices shifted) computes only the new crops', a changed base reuses nothing and a corrupt
// file is recomputed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import { initBackend } from '../../../src-main/core/ml/backend';
import type { FineTuneMode } from '../../../src-main/core/ml/model/architecture';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { dihedralVariant } from '../../../src-main/core/ml/training/augment';
import { trainableNames } from '../../../src-main/core/ml/training/blockForward';
import { hasLastCheckpoint } from '../../../src-main/core/ml/training/checkpoint';
import { createGradientEngine, shardSizes } from '../../../src-main/core/ml/training/gradientEngine';
import { dropoutMultipliers } from '../../../src-main/core/ml/training/shardStep';
import { mulberry32 } from '../../../src-main/core/ml/training/seededRandom';
import { FEATURE_FILE_HEADER_BYTES } from '../../../src-main/core/ml/training/featureFiles';
import { DEFAULT_FROZEN_VARIANTS, FEATURE_CACHE_DIR, trainLoop, type TrainLoopOptions } from '../../../src-main/core/ml/training/trainLoop';
import { inMemorySampleSet, type TrainingSample } from '../../../src-main/core/ml/training/trainingSet';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';

const SIZE = 64;

/** Bright discs (positive) or none on noise. */
function samples(n: number, seed: number): TrainingSample[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const pixels = Float32Array.from({ length: SIZE * SIZE }, () => r() * 0.3);
    const positive = i % 2;
    if (positive) {
      const cx = 16 + Math.floor(r() * 32);
      const cy = 16 + Math.floor(r() * 32);
      for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < 60) pixels[y * SIZE + x] = 0.9;
    }
    return { pixels, targets: Float32Array.of(positive), weights: Float32Array.of(1) };
  });
}

const card = ModelCardSchema.parse({
  classes: ['blob'], inputSize: SIZE, inChannels: 1,
  preprocessing: { invert: false, normalisation: { kind: 'none' } },
  classThresholds: [0.5], provenance: {},
});

function state(net: MicraNet): Map<string, Float32Array> {
  return new Map([...net.variables].map(([name, v]) => [name, Float32Array.from(v.dataSync() as Float32Array)]));
}

/** The variables of a freshly initialised network. */
function initialState(seed: number): Map<string, Float32Array> {
  const net = createMicraNet({ inChannels: 1, numClasses: 1, seed });
  const s = state(net);
  net.dispose();
  return s;
}

/** Largest |a − b| over every variable, relative to max(1, |a|). */
function maxRelDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): { diff: number; where: string } {
  let worst = { diff: 0, where: '' };
  for (const [name, x] of a) {
    const y = b.get(name)!;
    x.forEach((v, i) => {
      const d = Math.abs(v - (y[i] as number)) / Math.max(1, Math.abs(v));
      if (d > worst.diff) worst = { diff: d, where: `${name}[${i}]` };
    });
  }
  return worst;
}

describe('data-parallel training and the feature cache (wasm, 64² crops)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-dp-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  const train = inMemorySampleSet(samples(8, 1));
  const validation = inMemorySampleSet(samples(4, 2));

  async function run(over: Partial<TrainLoopOptions> & { workers: number }, netSeed = 7, base?: Map<string, Float32Array>) {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: netSeed });
    if (base) for (const [name, v] of net.variables) v.assign(tf.tensor(base.get(name)!, v.shape, 'float32'));
    const checkpointDir = over.checkpointDir ?? tmp();
    const result = await trainLoop({
      net, card, mode: 'all', train, validation,
      inputSize: SIZE, epochs: 2, batchSize: 4, learningRate: 1e-3, warmupSteps: 1, patience: 5,
      seed: 11, augment: true, checkpointDir, resume: false, ...over,
    });
    const s = state(net);
    net.dispose();
    return { state: s, result, checkpointDir };
  }

  it('splits a batch into as even shards as possible', () => {
    expect(shardSizes(4, 2)).toEqual([2, 2]);
    expect(shardSizes(5, 2)).toEqual([3, 2]);
    expect(shardSizes(3, 8)).toEqual([1, 1, 1]);
  });

  it("computes one worker's gradients: batch-norm parameters to the bit, the rest within float rounding", async () => {
    const n = 4;
    const r = mulberry32(1);
    const x = Float32Array.from({ length: n * SIZE * SIZE }, () => r());
    const batch = {
      n, shape: [SIZE, SIZE, 1] as [number, number, number], from: 0, trainFrom: 0,
      targets: Float32Array.of(0, 1, 0, 1), weights: Float32Array.of(1, 1, 1, 1), dropout: dropoutMultipliers(mulberry32(2), n, 256, 0.5),
    };
    const results = [];
    for (const workers of [1, 2]) {
      const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 7 });
      const engine = await createGradientEngine({ net, mode: 'all', workers, batchSize: n });
      expect(engine.workers).toBe(workers);
      const step = await engine.step({ ...batch, x: x.slice() });
      results.push({ loss: step.loss, grads: step.grads.map((g) => Float32Array.from(g.dataSync() as Float32Array)) });
      tf.dispose(step.grads);
      await engine.close();
      net.dispose();
    }
    const [one, two] = results as [(typeof results)[0], (typeof results)[0]];
    expect(two.loss).toBeCloseTo(one.loss, 5);
    const keys = trainableNames('all');
    one.grads.forEach((g, i) => {
      const h = two.grads[i]!;
      const name = keys[i]!;
      if (name.startsWith('bnorm')) expect(h, name).toEqual(g);
      const scale = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
      const diff = g.reduce((m, v, k) => Math.max(m, Math.abs(v - h[k]!)), 0);
      expect(diff / scale, name).toBeLessThan(2e-5);
    });
  }, 120_000);

  it('gives the weights of one worker within float tolerance, and the same bits run after run', async () => {
    const one = await run({ workers: 1 });
    const two = await run({ workers: 2 });
    const again = await run({ workers: 2 });
    expect(one.result.workers).toBe(1);
    expect(two.result.workers).toBe(2);
    expect(two.result.steps).toBe(4);
    for (const [name, v] of two.state) expect(again.state.get(name), name).toEqual(v);
    const { diff, where } = maxRelDiff(one.state, two.state);
    // Four Adam steps at lr 1e-3 move weights by up to ~4e-3: the shards agree far more closely.
    expect(diff, where).toBeLessThan(2e-4);
    // And the training actually moved the weights.
    const fresh = initialState(7);
    expect(maxRelDiff(fresh, two.state).diff).toBeGreaterThan(1e-3);
    one.result.history.forEach((e, i) => expect(two.result.history[i]!.trainLoss).toBeCloseTo(e.trainLoss, 4));
  }, 300_000);

  it('resumes exactly with two workers', async () => {
    const whole = await run({ workers: 2, seed: 5 });
    const dir = tmp();
    const controller = new AbortController();
    await expect(
      run({ workers: 2, seed: 5, checkpointDir: dir, signal: controller.signal, onProgress: (p) => p.type === 'epoch' && controller.abort() }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(hasLastCheckpoint(dir)).toBe(true);
    const resumed = await run({ workers: 2, seed: 5, checkpointDir: dir, resume: true }, 99);
    expect(resumed.result.resumedFromEpoch).toBe(1);
    for (const [name, v] of whole.state) expect(resumed.state.get(name), name).toEqual(v);
  }, 300_000);

  it('stops after the current step when cancelled, its shard workers with it', async () => {
    const controller = new AbortController();
    const steps: number[] = [];
    await expect(
      run({
        workers: 2, epochs: 3, batchSize: 2, signal: controller.signal,
        onProgress: (p) => {
          if (p.type !== 'step') return;
          steps.push(p.step);
          if (p.step === 2) controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(steps).toEqual([1, 2]);
  }, 300_000);

  describe.each<FineTuneMode>(['linear', 'linear+4', 'linear+3-4'])("fine-tuning in '%s' mode", (mode) => {
    it('trains the same weights from cached features as without the cache, frozen blocks untouched', async () => {
      const base = initialState(3);
      const uncached = await run({ workers: 2, mode, cacheFeatures: false, epochs: 3 }, 7, base);
      // A tiny memory bound: most features spill to disk and are read back.
      const cached = await run({ workers: 2, mode, cacheFeatures: true, epochs: 3, featureCacheBytes: 64 * 1024 }, 7, base);
      const { diff, where } = maxRelDiff(uncached.state, cached.state);
      expect(diff, where).toBeLessThan(2e-4);
      const stats = cached.result.featureCache!;
      expect(stats.misses).toBeGreaterThan(0);
      expect(stats.hits).toBeGreaterThan(stats.misses);
      if (mode !== 'linear') expect(stats.spilled).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(cached.checkpointDir, FEATURE_CACHE_DIR))).toBe(false);
      expect(uncached.result.featureCache).toBeNull();
      // Frozen blocks, running statistics included, are the base model's.
      const frozen = mode === 'linear' ? ['1a', '4b'] : mode === 'linear+4' ? ['1a', '3b'] : ['1a', '2b'];
      for (const block of frozen) {
        for (const v of ['conv%.weight', 'conv%.bias', 'bnorm%.running_mean', 'bnorm%.running_var']) {
          const name = v.replace('%', block);
          expect(cached.state.get(name), name).toEqual(base.get(name));
        }
      }
      expect(maxRelDiff(base, cached.state).diff).toBeGreaterThan(1e-4);
    }, 400_000);
  });

  it('resumes cached fine-tuning exactly', async () => {
    const base = initialState(3);
    const whole = await run({ workers: 2, mode: 'linear+4', seed: 5 }, 7, base);
    const dir = tmp();
    const controller = new AbortController();
    await expect(
      run({ workers: 2, mode: 'linear+4', seed: 5, checkpointDir: dir, signal: controller.signal, onProgress: (p) => p.type === 'epoch' && controller.abort() }, 7, base),
    ).rejects.toBeInstanceOf(JobCancelledError);
    const resumed = await run({ workers: 2, mode: 'linear+4', seed: 5, checkpointDir: dir, resume: true }, 99);
    for (const [name, v] of whole.state) expect(resumed.state.get(name), name).toEqual(v);
  }, 300_000);

  describe('the persistent feature store', () => {
    /** Every state variable, bit for bit. */
    const expectSameBits = (a: Map<string, Float32Array>, b: Map<string, Float32Array>) => {
      for (const [name, v] of a) expect(b.get(name), name).toEqual(v);
    };
    const namespaces = (store: string) => fs.readdirSync(store);

    it("gives a warm retrain the cold run's weights to the bit, and recomputes a corrupt file", async () => {
      const base = initialState(3);
      const store = tmp();
      const mode: FineTuneMode = 'linear+4';
      const cold = await run({ workers: 2, mode, epochs: 3, featureStoreDir: store }, 7, base);
      const c = cold.result.featureCache!;
      expect(cold.result.featureStore).toBe(true);
      expect(c.misses).toBeGreaterThan(0);
      expect(c.stored).toBe(c.misses);
      // Nothing in the run's checkpoint folder: the features are in the store.
      expect(fs.existsSync(path.join(cold.checkpointDir, FEATURE_CACHE_DIR))).toBe(false);
      const [ns] = namespaces(store);
      expect(fs.readdirSync(path.join(store, ns!))).toHaveLength(c.misses);

      const warm = await run({ workers: 2, mode, epochs: 3, featureStoreDir: store }, 7, base);
      const w = warm.result.featureCache!;
      expect(w.misses).toBe(0);
      expect(w.diskReads).toBe(c.misses);
      expectSameBits(cold.state, warm.state);

      // One payload bit of every file flipped (sizes unchanged): all refused and recomputed.
      for (const f of fs.readdirSync(path.join(store, ns!))) {
        const file = path.join(store, ns!, f);
        const bytes = fs.readFileSync(file);
        bytes[FEATURE_FILE_HEADER_BYTES + 3]! ^= 0x40;
        fs.writeFileSync(file, bytes);
      }
      const repaired = await run({ workers: 2, mode, epochs: 3, featureStoreDir: store }, 7, base);
      const r = repaired.result.featureCache!;
      expect(r.rejected).toBe(c.misses);
      expect(r.misses).toBe(c.misses);
      expect(r.diskReads).toBe(0);
      expectSameBits(cold.state, repaired.state);
    }, 400_000);

    it("computes only the new crops' features when a retrain adds crops before the old ones", async () => {
      const base = initialState(3);
      const store = tmp();
      const first = await run({ workers: 2, mode: 'linear', epochs: 3, featureStoreDir: store }, 7, base);
      // The first run's entries: its 4 validation crops' identities, and the (crop, variant)
      // pairs its 3 epochs drew out of the 8 training crops' 2 variants each.
      const oldTrainPairs = first.result.featureCache!.stored - 4;
      // Four new crops first: every old crop's index shifts by four.
      const more = inMemorySampleSet([...samples(4, 9), ...samples(8, 1)]);
      const retrain = await run({ workers: 2, mode: 'linear', epochs: 3, featureStoreDir: store, train: more }, 7, base);
      const s = retrain.result.featureCache!;
      expect(s.misses).toBeGreaterThan(0);
      // Computed: the new crops' variants, and old crops' variants that the first run never drew.
      // Were the old crops' variant subsets tied to their index, most of theirs would be new.
      expect(s.misses).toBeLessThanOrEqual(4 * DEFAULT_FROZEN_VARIANTS + (8 * DEFAULT_FROZEN_VARIANTS - oldTrainPairs));
      expect(s.diskReads).toBeGreaterThan(0);
    }, 400_000);

    it('never gives a changed base model the features of another', async () => {
      const base = initialState(3);
      const store = tmp();
      const first = await run({ workers: 2, mode: 'linear', epochs: 2, featureStoreDir: store }, 7, base);
      // The same weights but one running statistic of a frozen block.
      const changed = new Map(base);
      changed.set('bnorm2a.running_var', Float32Array.from(base.get('bnorm2a.running_var')!, (v) => v * 1.5));
      const second = await run({ workers: 2, mode: 'linear', epochs: 2, featureStoreDir: store }, 7, changed);
      expect(second.result.featureCache!.diskReads).toBe(0);
      expect(second.result.featureCache!.misses).toBe(first.result.featureCache!.misses);
      expect(namespaces(store)).toHaveLength(2);
    }, 400_000);
  });

  it('dihedral variants are the 8 symmetries of the square', () => {
    const src = Float32Array.from({ length: 9 }, (_, i) => i);
    const all = Array.from({ length: 8 }, (_, k) => Array.from(dihedralVariant(src, 3, 1, k)).join(','));
    expect(new Set(all).size).toBe(8);
    expect(dihedralVariant(src, 3, 1, 0)).toBe(src);
  });
});

