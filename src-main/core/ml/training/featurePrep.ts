// Background preparation of frozen features (issue 13): right after the expert labels crops,
// compute their frozen features into the project's feature store (featureStore.ts), so that the
// next "Retrain from decisions" only reads them. It requests exactly what a training run with the
// same base, mode, seed and variant count reads: for every training crop, each dihedral variant
// of its seeded subset (trainLoop.ts cropVariants: the run's epochs draw from these only), and
// the identity of every validation crop — under the namespace the run computes (same base
// weights, frozen range, size, preprocessing, backend), with the keys the run computes (crop
// digests of the preprocessed pixels). Crops whose files are all there are skipped without
// reading them; a file that later fails validation is recomputed by the run itself. A crop whose
// source (SampleSet.source) the store's crop digest memo knows is not even read: its digest
// comes from the memo (cropDigestMemo.ts), so a pass after one new label reads and hashes only
// the new crops (and those whose tiles changed).
// Low priority: the caller gives it few workers (default 1) and a lowered thread priority
// (featurePrepWorkerEntry.ts); it checks `signal` between crops.
import { checkCancelled } from '../../jobs/jobContext';
import { firstTrainableBlock } from './blockForward';
import { CropDigestMemo } from './cropDigestMemo';
import { cropDigest, featureKey } from './featureKeys';
import { prefetchFrozenFeatures, type FeatureRequest } from './frozenFeatures';
import { createGradientEngine } from './gradientEngine';
import { backendName, cropVariants, DEFAULT_FROZEN_VARIANTS, openRunFeatureCache, type TrainLoopOptions } from './trainLoop';
import type { SampleSet } from './trainingSet';

/**
 * The fields of the training run the features are for, as the run itself takes them (its card's
 * preprocessing and its seed enter the keys; augment: false reads the identity variant only).
 */
export interface PrepareFeaturesOptions
  extends Pick<TrainLoopOptions, 'net' | 'card' | 'mode' | 'train' | 'validation' | 'inputSize' | 'seed' | 'augment' | 'frozenVariants' | 'featureStoreBytes'> {
  /** The project's feature store (cache/features). */
  featureStoreDir: string;
  /** Scratch folder (only used when the store is unusable; then nothing is kept). */
  scratchDir: string;
  /** Remember crop digests by source in the store (default true; false: every crop is read and hashed, as before). */
  digestMemo?: boolean;
  /** Engine workers (default 1: background work leaves the other cores to the user). */
  workers?: number;
  signal?: AbortSignal;
  /** Crops whose features are all stored, of the crops that had some missing at the start. */
  onProgress?: (ready: number, total: number) => void;
}

export interface PrepareFeaturesResult {
  /** Training and validation crops looked at. */
  crops: number;
  /** Crops that had features missing when preparation started (the "new" crops). */
  newCrops: number;
  /** Feature entries computed and stored. */
  computed: number;
  /** Whether the features went to the persistent store (false: the store was unusable). */
  persistent: boolean;
  /** Crops read and hashed (the others' digests came from the memo). */
  hashed: number;
}

/** One crop's requests; `verify` (for a digest taken from the memo) reads the crop and gives the requests of its real digest. */
interface CropRequests {
  requests: FeatureRequest[];
  verify: (() => Promise<FeatureRequest[]>) | null;
}

/** Every (crop, variant) the run reads, per crop: training crops' subsets, validation crops' identity. */
async function requestsPerCrop(o: PrepareFeaturesOptions, memo: CropDigestMemo | null, counts: { hashed: number }): Promise<CropRequests[]> {
  const perCrop: CropRequests[] = [];
  const add = async (set: SampleSet, variantsOf: (digest: string) => number[]) => {
    const requestsOf = (digest: string, pixels: () => Promise<Float32Array>) => variantsOf(digest).map((variant) => ({ key: featureKey(digest, variant), variant, pixels }));
    const readAndHash = async (index: number, source: string | null) => {
      const pixels = (await set.get(index)).pixels;
      const digest = cropDigest(pixels);
      counts.hashed++;
      if (source !== null) memo?.set(source, digest);
      return requestsOf(digest, async () => pixels);
    };
    for (let index = 0; index < set.count; index++) {
      await checkCancelled(o.signal);
      const source = memo ? (set.source?.(index) ?? null) : null;
      const remembered = source === null ? undefined : memo?.get(source);
      if (remembered === undefined) perCrop.push({ requests: await readAndHash(index, source), verify: null });
      else
        perCrop.push({
          // Never read: these keys are only looked up in the store.
          requests: requestsOf(remembered, () => Promise.reject(new Error('a remembered crop is verified before its features are computed'))),
          verify: () => readAndHash(index, source),
        });
    }
  };
  await add(o.train, (digest) => (o.augment ? cropVariants(o.seed, digest, o.frozenVariants ?? DEFAULT_FROZEN_VARIANTS) : [0]));
  if (o.validation) await add(o.validation, () => [0]);
  return perCrop;
}

/** Computes the frozen features a run in `o.mode` will read and are not stored yet. */
export async function prepareFrozenFeatures(o: PrepareFeaturesOptions): Promise<PrepareFeaturesResult> {
  const to = firstTrainableBlock(o.mode);
  if (to === 0) throw new Error(`mode '${o.mode}' has no frozen blocks: nothing to prepare`);
  const opened = await openRunFeatureCache(
    { net: o.net, card: o.card, inputSize: o.inputSize, checkpointDir: o.scratchDir, featureStoreDir: o.featureStoreDir, ...(o.featureStoreBytes === undefined ? {} : { featureStoreBytes: o.featureStoreBytes }) },
    to,
  );
  // Only beside a persistent store: a per-run cache keeps nothing for the next pass anyway.
  const memo = opened.persistent && (o.digestMemo ?? true) ? CropDigestMemo.open(o.featureStoreDir) : null;
  try {
    const counts = { hashed: 0 };
    const perCrop = await requestsPerCrop(o, memo, counts);
    memo?.save();
    const seen = new Set<string>();
    const missingOf = (requests: readonly FeatureRequest[]) => requests.filter((r) => !seen.has(r.key) && seen.add(r.key) && !opened.cache.has(r.key));
    // A crop met twice (the same pixels in two places) is prepared once.
    const missing = perCrop.map((c) => ({ ...c, requests: missingOf(c.requests) })).filter((c) => c.requests.length > 0);
    const result: PrepareFeaturesResult = { crops: perCrop.length, newCrops: missing.length, computed: 0, persistent: opened.persistent, hashed: 0 };
    o.onProgress?.(0, missing.length);
    if (missing.length === 0) return { ...result, hashed: counts.hashed };
    const engine = await createGradientEngine({ net: o.net, mode: o.mode, workers: o.workers ?? 1, batchSize: 8, backend: backendName() });
    try {
      const options = { engine, cache: opened.cache, size: o.inputSize, channels: o.net.inChannels, to, ...(o.signal ? { signal: o.signal } : {}) };
      for (let k = 0; k < missing.length; k++) {
        const crop = missing[k] as (typeof missing)[number];
        // Features are only ever stored under the digest of the pixels they were computed from:
        // a remembered digest is checked first (a stale or forged memo entry must not name them).
        const requests = crop.verify ? (await crop.verify()).filter((r) => !opened.cache.has(r.key)) : crop.requests;
        await prefetchFrozenFeatures(options, requests);
        result.computed += requests.length;
        o.onProgress?.(k + 1, missing.length);
      }
    } finally {
      await engine.close();
    }
    return { ...result, hashed: counts.hashed };
  } finally {
    memo?.save();
    opened.close();
  }
}
