// The model card's input preprocessing, applied to intensities already scaled to the model's
// base range (integer samples divided by the type's maximum; float samples as they are).
// Order: inversion first (v → 1 − v), then the normalisation (see modelCard.ts).
import type { Preprocessing } from './weights/modelCard';
import { percentiles } from './postprocess/percentile';

/** Applies the preprocessing in place and returns the same array. */
export function applyPreprocessing(values: Float32Array, pre: Preprocessing): Float32Array {
  if (pre.invert) for (let i = 0; i < values.length; i++) values[i] = 1 - (values[i] as number);
  const norm = pre.normalisation;
  switch (norm.kind) {
    case 'none':
      break;
    case 'scale':
      for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * norm.scale + norm.offset;
      break;
    case 'percentile': {
      // Both with one quickselect pass each (no sort): this runs on every crop of a sweep.
      const [lo, hi] = percentiles(values, [norm.low, norm.high]) as [number, number];
      const range = hi - lo;
      for (let i = 0; i < values.length; i++) {
        const v = range > 0 ? ((values[i] as number) - lo) / range : 0;
        values[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      break;
    }
  }
  return values;
}
