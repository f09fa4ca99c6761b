// The three field sets of the cluttered-digits benchmark as SampleSets the app's training loop
// reads. Fields are generated on demand from their seed (deterministic), never held all at
// once: at the paper's scale 4,000 fields with their ten class masks would take ~3 GB.
// Training and validation draw digits from MNIST's training pool, test fields from the
// disjoint test pool, and validation seeds start far from the training ones: no field repeats.
import { generateClutteredDigits, type ClutteredDigits, type DigitPool } from '../../test/generators/digits';
import type { SampleSet } from '../../src-main/core/ml/training/trainingSet';

export const DIGIT_CLASSES = 10;
export type FieldSplit = 'train' | 'validation' | 'test';

const SPLIT_SOURCE: Record<FieldSplit, { pool: DigitPool; firstSeed: number }> = {
  train: { pool: 'train', firstSeed: 0 },
  validation: { pool: 'train', firstSeed: 1_000_000 },
  test: { pool: 'test', firstSeed: 0 },
};

export function digitField(split: FieldSplit, index: number, size: number): ClutteredDigits {
  const { pool, firstSeed } = SPLIT_SOURCE[split];
  return generateClutteredDigits({ seed: firstSeed + index, pool, size });
}

/** Every class is labelled in every field (weight 1): the image-level multi-hot labels. */
export function digitSampleSet(split: FieldSplit, count: number, size: number): SampleSet {
  const weights = new Float32Array(DIGIT_CLASSES).fill(1);
  return {
    count,
    get: async (i) => {
      if (!(i >= 0 && i < count)) throw new RangeError(`no field ${i} of ${count}`);
      const f = digitField(split, i, size);
      return { pixels: f.pixels, targets: Float32Array.from(f.labels), weights };
    },
  };
}
