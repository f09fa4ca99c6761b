// Compute side: a DatasetSpec as the training loop's sample sets. Training = the train split's
// labelled crops + unlabelled grid crops drawn (seeded) at 1:ratio per positive, blank ones
// skipped by the background test, used as negatives for every class; validation = the
// validation split's labelled crops only (an honest measure). Pixels come from the tile store,
// preprocessed like the model card says, cached after the first read.
import type { Preprocessing } from '../weights/modelCard';
import { deriveSeed, mulberry32, shuffledIndices } from '../training/seededRandom';
import type { SampleSet, TrainingSample } from '../training/trainingSet';
import { isBackgroundCrop } from './backgroundTest';
import { readCropForModel } from './cropPixels';
import { cropSourceId } from './cropSource';
import type { DatasetImage, DatasetSpec } from './datasetSpec';

interface CropRef {
  imageId: number;
  x: number;
  y: number;
  targets: Float32Array;
  weights: Float32Array;
}

export interface ProjectSampleSets {
  train: SampleSet;
  validation: SampleSet;
  test: SampleSet;
  counts: { train: number; validation: number; test: number; trainPositives: number; unlabelledUsed: number };
}

/** Cached pixels are bounded so a big dataset streams from the tile store instead. */
const MAX_CACHED_CROPS = 4000;

export async function projectSampleSets(
  projectDir: string,
  spec: DatasetSpec,
  o: { inChannels: number; preprocessing: Preprocessing; seed: number; signal?: AbortSignal },
): Promise<ProjectSampleSets> {
  const images = new Map<number, DatasetImage>(spec.images.map((im) => [im.id, im]));
  const classes = spec.classes.length;
  const refs = (split: 'train' | 'validation' | 'test'): CropRef[] =>
    spec.items
      .filter((it) => it.split === split)
      .map((it) => ({ imageId: it.imageId, x: it.x, y: it.y, targets: Float32Array.from(it.targets), weights: Float32Array.from(it.weights) }));
  const train = refs('train');
  const trainPositives = train.filter((r) => r.targets.some((t, k) => t > 0 && (r.weights[k] as number) > 0)).length;
  let unlabelledUsed = 0;
  const want = Math.round(trainPositives * spec.unlabelled.ratio);
  if (want > 0) {
    const order = shuffledIndices(spec.unlabelled.candidates.length, mulberry32(deriveSeed(o.seed, 11)));
    for (const i of order) {
      if (unlabelledUsed >= want || o.signal?.aborted) break;
      const c = spec.unlabelled.candidates[i];
      const image = c && images.get(c.imageId);
      if (!c || !image) continue;
      if (await isBackgroundCrop(projectDir, image, c.x, c.y, spec.cropSize)) continue;
      train.push({ imageId: c.imageId, x: c.x, y: c.y, targets: new Float32Array(classes), weights: new Float32Array(classes).fill(1) });
      unlabelledUsed++;
    }
  }
  const cache = new Map<string, Float32Array>();
  const setOf = (crops: CropRef[]): SampleSet => ({
    count: crops.length,
    get: async (i): Promise<TrainingSample> => {
      const r = crops[i];
      if (!r) throw new RangeError(`no crop ${i} of ${crops.length}`);
      const key = `${r.imageId}:${r.x}:${r.y}`;
      let pixels = cache.get(key);
      if (!pixels) {
        const image = images.get(r.imageId);
        if (!image) throw new Error(`image ${r.imageId} is not in the dataset`);
        pixels = await readCropForModel(projectDir, image, r.x, r.y, spec.cropSize, o.inChannels, o.preprocessing);
        if (cache.size < MAX_CACHED_CROPS) cache.set(key, pixels);
      }
      return { pixels, targets: r.targets, weights: r.weights };
    },
    source: (i) => {
      const r = crops[i];
      const image = r && images.get(r.imageId);
      if (!r || !image) return null;
      return cropSourceId(projectDir, image, r.x, r.y, { size: spec.cropSize, inChannels: o.inChannels, preprocessing: o.preprocessing });
    },
  });
  const validation = refs('validation');
  const test = refs('test');
  return {
    train: setOf(train),
    validation: setOf(validation),
    test: setOf(test),
    counts: { train: train.length, validation: validation.length, test: test.length, trainPositives, unlabelledUsed },
  };
}
