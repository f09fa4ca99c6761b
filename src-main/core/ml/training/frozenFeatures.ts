// Frozen features on demand: looks each (crop, dihedral variant) up in the feature cache and
// computes the missing ones in one call to the gradient engine (spread over its workers),
// in groups small enough that a cancel is noticed within about a second of work. A cached
// file that turns out invalid when read counts as missing: it is recomputed, never trusted.
import { checkCancelled } from '../../jobs/jobContext';
import { dihedralVariant } from './augment';
import type { FeatureCache } from './featureCache';
import type { GradientEngine } from './gradientEngine';

export interface FeatureRequest {
  key: string;
  /** The crop ([size, size, channels]); transformed by `variant` here. */
  pixels: () => Promise<Float32Array>;
  variant: number;
}

export interface FrozenFeaturesOptions {
  engine: GradientEngine;
  cache: FeatureCache;
  size: number;
  channels: number;
  /** The frozen blocks are [0, to). */
  to: number;
  signal?: AbortSignal;
}

/** Computes the features of the requests not cached yet, without reading the cached ones (a run's, before its steps). */
export async function prefetchFrozenFeatures(o: FrozenFeaturesOptions, requests: readonly FeatureRequest[]): Promise<void> {
  const seen = new Set<string>();
  await computeMissing(
    o,
    requests.filter((r) => !seen.has(r.key) && seen.add(r.key) && !o.cache.has(r.key)),
    () => {},
  );
}

/** Features of every request, in order; computes and caches the missing ones. */
export async function frozenFeatures(o: FrozenFeaturesOptions, requests: readonly FeatureRequest[]): Promise<Float32Array[]> {
  const found = new Map<string, Float32Array>();
  const missing: FeatureRequest[] = [];
  for (const r of requests) {
    if (found.has(r.key)) continue;
    const f = o.cache.get(r.key);
    if (f) found.set(r.key, f);
    else missing.push(r);
  }
  await computeMissing(o, missing, (key, f) => found.set(key, f));
  return requests.map((r) => {
    const f = found.get(r.key);
    if (!f) throw new Error(`frozen features ${r.key} were not computed`);
    return f;
  });
}

/** Computes each distinct key of `requests` once, caches it and hands it to `done`. */
async function computeMissing(o: FrozenFeaturesOptions, requests: readonly FeatureRequest[], done: (key: string, f: Float32Array) => void): Promise<void> {
  const seen = new Set<string>();
  const missing = requests.filter((r) => !seen.has(r.key) && seen.add(r.key));
  const group = Math.max(2, 2 * o.engine.workers);
  for (let start = 0; start < missing.length; start += group) {
    await checkCancelled(o.signal);
    const part = missing.slice(start, start + group);
    const inputs: Float32Array[] = [];
    for (const r of part) inputs.push(dihedralVariant(await r.pixels(), o.size, o.channels, r.variant).slice());
    const features = await o.engine.features(inputs, [o.size, o.size, o.channels], 0, o.to);
    part.forEach((r, k) => {
      const f = features[k] as Float32Array;
      o.cache.put(r.key, f);
      done(r.key, f);
    });
  }
}
