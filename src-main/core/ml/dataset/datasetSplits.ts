// Splits are by image: every crop of an image is in the image's split, so a model is never
// validated on an image it was trained on. An image's split is its override when the user set
// one, else a seeded hash of its id (stable: adding images never moves existing ones).
import { deriveSeed } from '../training/seededRandom';
import type { DatasetSplit } from '../../project/trainingRepo';

export const DEFAULT_SPLIT_SEED = 1;
/** Fractions of images in train and validation; the rest is test. */
export const SPLIT_FRACTIONS = { train: 0.7, validation: 0.15 } as const;

export function seededSplit(imageId: number, seed = DEFAULT_SPLIT_SEED): DatasetSplit {
  const u = deriveSeed(seed, imageId, 0x5b11) / 4294967296;
  if (u < SPLIT_FRACTIONS.train) return 'train';
  if (u < SPLIT_FRACTIONS.train + SPLIT_FRACTIONS.validation) return 'validation';
  return 'test';
}

export function splitOfImage(imageId: number, overrides: ReadonlyMap<number, DatasetSplit>, seed = DEFAULT_SPLIT_SEED): DatasetSplit {
  return overrides.get(imageId) ?? seededSplit(imageId, seed);
}
