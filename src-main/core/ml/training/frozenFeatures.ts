// Frozen features on demand: looks each (crop, dihedral variant) up in the feature cache and
// computes the missing ones in one call to the gradient engine (spread over its workers),
// in groups small enough that a cancel is noticed within about a second of work.
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

/** Features of every request, in order; computes and caches the missing ones. */
export async function frozenFeatures(o: FrozenFeaturesOptions, requests: readonly FeatureRequest[]): Promise<Float32Array[]> {
  const seen = new Set<string>();
  const missing = requests.filter((r) => {
    if (seen.has(r.key) || o.cache.has(r.key)) return false;
    seen.add(r.key);
    return true;
  });
  const group = Math.max(2, 2 * o.engine.workers);
  for (let start = 0; start < missing.length; start += group) {
    await checkCancelled(o.signal);
    const part = missing.slice(start, start + group);
    const inputs: Float32Array[] = [];
    for (const r of part) inputs.push(dihedralVariant(await r.pixels(), o.size, o.channels, r.variant).slice());
    const features = await o.engine.features(inputs, [o.size, o.size, o.channels], 0, o.to);
    part.forEach((r, k) => o.cache.put(r.key, features[k] as Float32Array));
  }
  return requests.map((r) => {
    const f = o.cache.get(r.key);
    if (!f) throw new Error(`frozen features ${r.key} are missing from the cache`);
    return f;
  });
}
