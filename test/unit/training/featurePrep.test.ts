// Background preparation of frozen features (featurePrep.ts), on the wasm backend with 64²
// crops: after preparation a retrain computes no feature at all (it only reads the store) and
// trains the cold run's weights to the bit; preparation computes only crops it has not
// stored (a second pass computes nothing, new crops are the only ones computed); files corrupted
// after preparation are refused and recomputed by the retrain, which still gives the same
// weights; a cancel stops preparation between crops, and what it stored stays valid and used.
// With crop sources, a pass reads and hashes only crops whose source the memo has not met, and a
// memo that names the wrong digests cannot change the retrain's weights.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import { initBackend } from '../../../src-main/core/ml/backend';
import type { FineTuneMode } from '../../../src-main/core/ml/model/architecture';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { FEATURE_FILE_HEADER_BYTES } from '../../../src-main/core/ml/training/featureFiles';
import { prepareFrozenFeatures, type PrepareFeaturesOptions } from '../../../src-main/core/ml/training/featurePrep';
import { mulberry32 } from '../../../src-main/core/ml/training/seededRandom';
import { DEFAULT_FROZEN_VARIANTS, trainLoop, type TrainLoopOptions } from '../../../src-main/core/ml/training/trainLoop';
import { inMemorySampleSet, type SampleSet, type TrainingSample } from '../../../src-main/core/ml/training/trainingSet';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';

const SIZE = 64;

/** Bright discs (positive) or none on noise. */
function samples(n: number, seed: number): TrainingSample[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const pixels = Float32Array.from({ length: SIZE * SIZE }, () => r() * 0.3);
    if (i % 2) {
      const cx = 16 + Math.floor(r() * 32);
      const cy = 16 + Math.floor(r() * 32);
      for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < 60) pixels[y * SIZE + x] = 0.9;
    }
    return { pixels, targets: Float32Array.of(i % 2), weights: Float32Array.of(1) };
  });
}

const card = ModelCardSchema.parse({
  classes: ['blob'], inputSize: SIZE, inChannels: 1,
  preprocessing: { invert: false, normalisation: { kind: 'none' } },
  classThresholds: [0.5], provenance: {},
});

const NET_SEED = 3;
const state = (net: MicraNet) => new Map([...net.variables].map(([name, v]) => [name, Float32Array.from(v.dataSync() as Float32Array)]));
const expectSameBits = (a: Map<string, Float32Array>, b: Map<string, Float32Array>) => {
  for (const [name, v] of a) expect(b.get(name), name).toEqual(v);
};
const filesOf = (store: string) => fs.readdirSync(store).flatMap((ns) => fs.readdirSync(path.join(store, ns)).map((f) => path.join(store, ns, f)));

describe('background preparation of frozen features (wasm, 64² crops)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-prep-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  const train = inMemorySampleSet(samples(8, 1));
  const validation = inMemorySampleSet(samples(4, 2));

  async function retrain(mode: FineTuneMode, store: string, over: Partial<TrainLoopOptions> = {}) {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: NET_SEED });
    const result = await trainLoop({
      net, card, mode, train, validation, inputSize: SIZE, epochs: 3, batchSize: 4, learningRate: 1e-3, warmupSteps: 1,
      patience: 5, seed: 11, augment: true, checkpointDir: tmp(), resume: false, workers: 2, featureStoreDir: store, ...over,
    });
    const s = state(net);
    net.dispose();
    return { state: s, cache: result.featureCache! };
  }

  async function prepare(mode: FineTuneMode, store: string, over: Partial<PrepareFeaturesOptions> & { train?: SampleSet } = {}) {
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: NET_SEED });
    try {
      return await prepareFrozenFeatures({
        net, card, mode, train, validation, inputSize: SIZE, seed: 11, augment: true, featureStoreDir: store, scratchDir: tmp(), ...over,
      });
    } finally {
      net.dispose();
    }
  }

  for (const mode of ['linear', 'linear+4'] as const) {
    it(`${mode}: a prepared retrain computes no feature and trains the cold run's weights to the bit`, async () => {
      const cold = await retrain(mode, tmp());
      expect(cold.cache.misses).toBeGreaterThan(0);

      const store = tmp();
      const progress: Array<[number, number]> = [];
      const prepared = await prepare(mode, store, { onProgress: (ready, total) => progress.push([ready, total]) });
      // Every crop is new; each training crop's whole variant subset, each validation crop's identity.
      expect(prepared).toMatchObject({ crops: 12, newCrops: 12, computed: 8 * DEFAULT_FROZEN_VARIANTS + 4, persistent: true });
      expect(progress.at(0)).toEqual([0, 12]);
      expect(progress.at(-1)).toEqual([12, 12]);
      expect(filesOf(store)).toHaveLength(8 * DEFAULT_FROZEN_VARIANTS + 4);

      const warm = await retrain(mode, store);
      expect(warm.cache.misses).toBe(0);
      expect(warm.cache.rejected).toBe(0);
      // Everything the run read came from the prepared files (nothing more was needed).
      expect(warm.cache.diskReads).toBe(cold.cache.misses);
      expectSameBits(cold.state, warm.state);
    }, 400_000);
  }

  it('computes only what is not stored: nothing on a second pass, only the new crops after labelling more', async () => {
    const store = tmp();
    await prepare('linear', store);
    const before = filesOf(store).length;
    expect(await prepare('linear', store)).toMatchObject({ newCrops: 0, computed: 0 });
    const more = inMemorySampleSet([...samples(3, 9), ...samples(8, 1)]);
    const again = await prepare('linear', store, { train: more });
    expect(again).toMatchObject({ crops: 15, newCrops: 3, computed: 3 * DEFAULT_FROZEN_VARIANTS });
    expect(filesOf(store)).toHaveLength(before + 3 * DEFAULT_FROZEN_VARIANTS);
  }, 400_000);

  /** `set` with a source per crop (a hash of its index and `tag`), counting the crops read. */
  function sourced(set: SampleSet, tag: (index: number) => string) {
    const reads = { count: 0 };
    const withSource: SampleSet = {
      count: set.count,
      get: (i) => {
        reads.count++;
        return set.get(i);
      },
      source: (i) => createHash('sha256').update(tag(i)).digest('hex'),
    };
    return { set: withSource, reads };
  }

  it('remembers crop digests by source: a later pass reads and hashes only the crops it has not met', async () => {
    const store = tmp();
    const old = samples(8, 1);
    const first = sourced(inMemorySampleSet(old), (i) => `old ${i}`);
    const val = sourced(validation, (i) => `val ${i}`);
    expect(await prepare('linear', store, { train: first.set, validation: val.set })).toMatchObject({ newCrops: 12, hashed: 12 });
    // Same crops: nothing read at all.
    const again = sourced(inMemorySampleSet(old), (i) => `old ${i}`);
    const valAgain = sourced(validation, (i) => `val ${i}`);
    expect(await prepare('linear', store, { train: again.set, validation: valAgain.set })).toMatchObject({ newCrops: 0, computed: 0, hashed: 0 });
    expect(again.reads.count + valAgain.reads.count).toBe(0);
    // One new crop put first (every old index shifts; sources follow the crops): only it is read, hashed and computed.
    const more = sourced(inMemorySampleSet([...samples(1, 9), ...old]), (i) => (i === 0 ? 'new 0' : `old ${i - 1}`));
    const r = await prepare('linear', store, { train: more.set, validation: sourced(validation, (i) => `val ${i}`).set });
    expect(r).toMatchObject({ crops: 13, newCrops: 1, hashed: 1, computed: DEFAULT_FROZEN_VARIANTS });
    // The new crop was read once to hash it; its features were computed from that read.
    expect(more.reads.count).toBe(1);
    // Without the memo (as before it), every crop is read and hashed.
    const plain = sourced(inMemorySampleSet([...samples(1, 9), ...old]), (i) => (i === 0 ? 'new 0' : `old ${i - 1}`));
    expect(await prepare('linear', store, { train: plain.set, validation, digestMemo: false })).toMatchObject({ newCrops: 0, hashed: 13 });
    expect(plain.reads.count).toBe(9);
  }, 400_000);

  it("a memo that names the wrong digests never names stored features wrongly: preparation checks before computing, and the retrain trains the cold run's weights", async () => {
    const cold = await retrain('linear', tmp());
    const store = tmp();
    await prepare('linear', store, { train: sourced(train, (i) => `crop ${i}`).set, validation: sourced(validation, (i) => `val ${i}`).set });
    // The features go, the memo stays; then the crops are given each other's sources (crop i gets
    // crop i+1's), so every remembered digest is another crop's.
    for (const ns of fs.readdirSync(store)) if (ns !== 'crop-digests') fs.rmSync(path.join(store, ns), { recursive: true });
    const lying = sourced(train, (i) => `crop ${(i + 1) % train.count}`);
    const r = await prepare('linear', store, { train: lying.set, validation: sourced(validation, (i) => `val ${i}`).set });
    // Every crop had features missing, so each was read and hashed before its features were computed.
    expect(r).toMatchObject({ newCrops: 12, hashed: 12, computed: 8 * DEFAULT_FROZEN_VARIANTS + 4 });
    const warm = await retrain('linear', store);
    // Stored under the real digests: the retrain finds every feature it needs.
    expect(warm.cache).toMatchObject({ misses: 0, rejected: 0 });
    expectSameBits(cold.state, warm.state);
  }, 400_000);

  it('leaves corrupt prepared files to the retrain, which refuses and recomputes them: the same weights', async () => {
    const cold = await retrain('linear+4', tmp());
    const store = tmp();
    await prepare('linear+4', store);
    // One payload bit of every file flipped (sizes unchanged: only the checksum tells).
    for (const file of filesOf(store)) {
      const bytes = fs.readFileSync(file);
      bytes[FEATURE_FILE_HEADER_BYTES + 7]! ^= 0x20;
      fs.writeFileSync(file, bytes);
    }
    const warm = await retrain('linear+4', store);
    // Every entry the run reads was refused and recomputed; none was trusted.
    expect(warm.cache.rejected).toBe(cold.cache.misses);
    expect(warm.cache.misses).toBe(cold.cache.misses);
    expect(warm.cache.diskReads).toBe(0);
    expectSameBits(cold.state, warm.state);
  }, 400_000);

  it('stops between crops when cancelled; what it stored is valid, and the next pass computes the rest', async () => {
    const store = tmp();
    const controller = new AbortController();
    await expect(prepare('linear+4', store, { signal: controller.signal, onProgress: (ready) => ready === 3 && controller.abort() })).rejects.toBeInstanceOf(
      JobCancelledError,
    );
    const stored = filesOf(store).length;
    expect(stored).toBe(3 * DEFAULT_FROZEN_VARIANTS);
    const rest = await prepare('linear+4', store);
    expect(rest).toMatchObject({ newCrops: 9, computed: 8 * DEFAULT_FROZEN_VARIANTS + 4 - stored });
    const warm = await retrain('linear+4', store);
    expect(warm.cache).toMatchObject({ misses: 0, rejected: 0 });
  }, 400_000);

  it('refuses a mode without frozen blocks', async () => {
    await expect(prepare('all', tmp())).rejects.toThrow(/no frozen blocks/);
  });
});
