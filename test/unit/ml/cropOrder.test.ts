// Active labelling's order of the crop grid, on hand-made scores: likely positives first (score
// descending), most uncertain first (distance to the threshold ascending), raster; background
// crops (no score) last in raster order; ties in raster order. And the cache file: read back
// only when it is whole and belongs to the image, model and crop size asked for.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cropScoresPath, orderedGridIndices, readCropScores } from '../../../src-main/core/ml/dataset/cropOrder';
import { makeTempDir, removeDir } from '../project/tempProject';

const scores = [0.2, null, 0.95, 0.5, 0.62, null, 0.5, 0.05];

describe('crop order', () => {
  it('puts likely positives first, background last', () => {
    expect(orderedGridIndices(scores, 'likely', 0.6)).toEqual([2, 4, 3, 6, 0, 7, 1, 5]);
  });

  it('puts the most uncertain first: nearest the threshold', () => {
    // |s − 0.6|: 0.4, –, 0.35, 0.1, 0.02, –, 0.1, 0.55
    expect(orderedGridIndices(scores, 'uncertain', 0.6)).toEqual([4, 3, 6, 2, 0, 7, 1, 5]);
  });

  it('keeps the grid order for raster', () => {
    expect(orderedGridIndices(scores, 'raster', 0.6)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('the crop scores cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('micra-crop-scores-');
  });
  afterEach(() => removeDir(dir));

  const write = (content: string) => {
    const file = cropScoresPath(dir, 3, 7, 256);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };

  it('reads a whole file back for its image, model and size only', () => {
    expect(readCropScores(dir, 3, 7, 256, 8)).toBeNull();
    write(JSON.stringify({ imageId: 3, modelId: 7, cropSize: 256, classIndex: 0, threshold: 0.6, scores }));
    expect(readCropScores(dir, 3, 7, 256, 8)?.scores).toEqual(scores);
    // A grid of another length (the image is not the one scored): not used.
    expect(readCropScores(dir, 3, 7, 256, 9)).toBeNull();
  });

  it('refuses a damaged or out-of-range file', () => {
    write('{"imageId": 3, "model');
    expect(readCropScores(dir, 3, 7, 256, 8)).toBeNull();
    write(JSON.stringify({ imageId: 3, modelId: 7, cropSize: 256, classIndex: 0, threshold: 0.6, scores: [...scores.slice(0, 7), 1.5] }));
    expect(readCropScores(dir, 3, 7, 256, 8)).toBeNull();
    write(JSON.stringify({ imageId: 4, modelId: 7, cropSize: 256, classIndex: 0, threshold: 0.6, scores }));
    expect(readCropScores(dir, 3, 7, 256, 8)).toBeNull();
  });
});
