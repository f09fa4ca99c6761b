// The body of the 'prepareFeatures' job (run in its worker thread, featurePrepWorkerEntry.ts):
// the base model, the retrain's sample sets exactly as trainNetwork.ts builds them (same
// dataset spec, preprocessing and seed: the same crops and unlabelled draw), then
// prepareFrozenFeatures for each mode into the project's feature store. The namespace and keys
// it writes are those the retrain will compute: the frozen blocks are the base's (the retrain's
// network copies them, baseNetwork.ts), and the card's preprocessing is the base's.
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../backend';
import { projectSampleSets } from '../dataset/projectSampleSets';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import { prepareFrozenFeatures } from './featurePrep';
import type { FeaturePrepParams, FeaturePrepResult } from './featurePrepJobSchema';
import { projectFeatureStoreRoot } from './featureStore';

export interface FeaturePrepHooks {
  signal: AbortSignal;
  /** `ready` of `total` new crops have all their features (over every mode). */
  progress: (ready: number, total: number) => void;
}

export async function prepareProjectFeatures(p: FeaturePrepParams, hooks: FeaturePrepHooks): Promise<FeaturePrepResult> {
  const started = performance.now();
  await initBackend(p.backend);
  const store = projectFeatureStoreRoot(p.projectDir);
  if (store === null) throw new Error('the project has no usable feature store (cache/features is not a plain folder)');
  const { net, card } = await loadMicraNetWeights(p.parentManifest);
  try {
    const sets = await projectSampleSets(p.projectDir, p.dataset, { inChannels: net.inChannels, preprocessing: card.preprocessing, seed: p.seed, signal: hooks.signal });
    const result: FeaturePrepResult = { crops: 0, newCrops: 0, computed: 0, hashed: 0, seconds: 0 };
    for (const mode of p.modes) {
      const done = { newCrops: result.newCrops };
      const r = await prepareFrozenFeatures({
        net,
        card,
        mode,
        train: sets.train,
        validation: sets.validation,
        inputSize: p.dataset.cropSize,
        seed: p.seed,
        augment: p.augment,
        featureStoreDir: store,
        ...(p.featureStoreBytes === undefined ? {} : { featureStoreBytes: p.featureStoreBytes }),
        scratchDir: path.join(os.tmpdir(), `micra-feature-prep-${process.pid}`),
        workers: 1,
        signal: hooks.signal,
        onProgress: (ready, total) => hooks.progress(done.newCrops + ready, done.newCrops + total),
      });
      result.crops += r.crops;
      result.newCrops += r.newCrops;
      result.computed += r.computed;
      result.hashed += r.hashed;
    }
    result.seconds = (performance.now() - started) / 1000;
    return result;
  } finally {
    net.dispose();
  }
}
