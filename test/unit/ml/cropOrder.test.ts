// Active labelling's order of the crop grid, on hand-made scores: likely positives first (score
// descending), most uncertain first (distance to the threshold ascending), raster; background
// crops (no score) last in raster order; ties in raster order. And the cache file: read back
// only when it is whole and belongs to the image (not an earlier one under its id), model and
// crop size asked for, deleted when stale, and removed by image or model.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cropScoresPath, orderedGridIndices, readCropScores, removeCropScores } from '../../../src-main/core/ml/dataset/cropOrder';
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

  const STAMP = '2026-12-07 10:00:00/abc';
  const write = (content: string, imageId = 3, modelId = 7) => {
    const f = cropScoresPath(dir, imageId, modelId, 256);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
    return f;
  };
  const whole = (over: Record<string, unknown> = {}) => JSON.stringify({ imageId: 3, modelId: 7, cropSize: 256, classIndex: 0, imageStamp: STAMP, threshold: 0.6, scores, ...over });

  it('reads a whole file back for its image, model and size only', () => {
    expect(readCropScores(dir, 3, STAMP, 7, 256, 8)).toBeNull();
    write(whole());
    expect(readCropScores(dir, 3, STAMP, 7, 256, 8)?.scores).toEqual(scores);
  });

  it('deletes a file that does not fit: damaged, out of range, foreign, of another grid or an earlier image under the id', () => {
    const cases = [
      '{"imageId": 3, "model',
      whole({ scores: [...scores.slice(0, 7), 1.5] }),
      whole({ imageId: 4 }),
      // Written before the image stamp existed.
      whole({ imageStamp: undefined }),
      // Image 3 was removed and its id reused by an image made later.
      whole({ imageStamp: '2026-12-01 09:00:00/abc' }),
    ];
    for (const content of cases) {
      const f = write(content);
      expect(readCropScores(dir, 3, STAMP, 7, 256, 8)).toBeNull();
      expect(fs.existsSync(f)).toBe(false);
    }
    // A grid of another length (the image is not the one scored).
    const f = write(whole());
    expect(readCropScores(dir, 3, STAMP, 7, 256, 9)).toBeNull();
    expect(fs.existsSync(f)).toBe(false);
  });

  it('removes the files of an image or a model, and leaves other names alone', () => {
    write(whole(), 3, 7);
    write(whole(), 3, 8);
    write(whole(), 4, 7);
    fs.writeFileSync(path.join(path.dirname(cropScoresPath(dir, 3, 7, 256)), 'image-3-model-7-size-256.json.123.tmp'), '{');
    fs.writeFileSync(path.join(path.dirname(cropScoresPath(dir, 3, 7, 256)), 'notes.txt'), 'kept');
    expect(removeCropScores(dir, (imageId) => imageId === 3).sort()).toEqual(['image-3-model-7-size-256.json', 'image-3-model-7-size-256.json.123.tmp', 'image-3-model-8-size-256.json']);
    expect(removeCropScores(dir, (_, modelId) => modelId === 7)).toEqual(['image-4-model-7-size-256.json']);
    expect(fs.readdirSync(path.dirname(cropScoresPath(dir, 3, 7, 256)))).toEqual(['notes.txt']);
    // No cache folder yet: nothing to do.
    expect(removeCropScores(path.join(dir, 'none'), () => true)).toEqual([]);
  });
});
