// The pure parts of training and dataset curation: augmentation, learning-rate schedule, the
// crop grid, image splits, the progress message codec and the CLI's ratio parsing.
import { describe, expect, it } from 'vitest';
import { augmentCrop } from '../../../src-main/core/ml/training/augment';
import { learningRateAt } from '../../../src-main/core/ml/training/lrSchedule';
import { deriveSeed, mulberry32, shuffledIndices } from '../../../src-main/core/ml/training/seededRandom';
import { decodeTrainingProgress, encodeTrainingProgress } from '../../../src-main/core/ml/training/trainingProgress';
import { centredCrop, cropGrid } from '../../../src-shared/cropGrid';
import { seededSplit, splitOfImage } from '../../../src-main/core/ml/dataset/datasetSplits';
import { parsePuRatio } from '../../../src-main/cli/commands/trainCommand';

describe('augmentCrop', () => {
  const size = 4;
  const src = Float32Array.from({ length: 16 }, (_, i) => i / 16);
  it('keeps the multiset of values under geometric transforms and is seeded', () => {
    // A generator returning 0.1 then 0.9 forever: flips on (0.1 < 0.5), photometric ones off.
    const seq = [0.1, 0.1, 0.9, 0.9, 0.9];
    let k = 0;
    const out = augmentCrop(src, size, 1, () => seq[k++] ?? 0.9);
    // h flip then v flip = 180° rotation: out(x, y) = in(3 − x, 3 − y).
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(out[y * 4 + x]).toBe(src[(3 - y) * 4 + (3 - x)]);
    expect(augmentCrop(src, size, 1, mulberry32(3))).toEqual(augmentCrop(src, size, 1, mulberry32(3)));
  });
  it('rotates by quarter turns', () => {
    // rotation on (0.1 < 0.5), turns = 1 + floor(0 · 3) = 1.
    const seq = [0.9, 0.9, 0.1, 0.0, 0.9, 0.9];
    let k = 0;
    const out = augmentCrop(src, size, 1, () => seq[k++] ?? 0.9);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(out[y * 4 + x]).toBe(src[(3 - x) * 4 + y]);
  });
  it('applies each transform with probability about 0.5', () => {
    let changed = 0;
    for (let s = 0; s < 400; s++) if (augmentCrop(src, size, 1, mulberry32(s)).some((v, i) => v !== src[i])) changed++;
    // Five independent coin flips: P(no change) = 1/32.
    expect(changed / 400).toBeGreaterThan(0.93);
    expect(changed / 400).toBeLessThan(0.995);
  });
});

describe('learningRateAt', () => {
  const o = { baseLr: 1e-3, totalSteps: 100, warmupSteps: 10, floorFraction: 0.05 };
  it('warms up linearly, peaks, then decays by cosine to the floor', () => {
    expect(learningRateAt(0, o)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(9, o)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(10, o)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(55, o)).toBeCloseTo(0.05e-3 + 0.95e-3 * 0.5, 9);
    expect(learningRateAt(100, o)).toBeCloseTo(0.05e-3, 12);
    expect(learningRateAt(60, o)).toBeLessThan(learningRateAt(50, o));
  });
});

describe('seeded randomness', () => {
  it('shuffles deterministically into a permutation', () => {
    const a = shuffledIndices(50, mulberry32(deriveSeed(1, 2)));
    expect(a).toEqual(shuffledIndices(50, mulberry32(deriveSeed(1, 2))));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(shuffledIndices(50, mulberry32(deriveSeed(1, 3))));
  });
});

describe('cropGrid', () => {
  it('tiles without overlap and shifts the last row/column to the edge', () => {
    expect(cropGrid(512, 256, 256).map((c) => [c.x, c.y])).toEqual([[0, 0], [256, 0]]);
    expect(cropGrid(600, 256, 256).map((c) => c.x)).toEqual([0, 256, 344]);
    expect(cropGrid(100, 600, 256)).toEqual([]);
  });
  it('centres a crop on a point, inside the image', () => {
    expect(centredCrop(300, 300, 256, 1000, 1000)).toEqual({ x: 172, y: 172, size: 256 });
    expect(centredCrop(10, 990, 256, 1000, 1000)).toEqual({ x: 0, y: 744, size: 256 });
    expect(centredCrop(10, 10, 256, 200, 1000)).toBeNull();
  });
});

describe('image splits', () => {
  it('are stable per image, roughly 70/15/15, and overridable', () => {
    const counts = { train: 0, validation: 0, test: 0 };
    for (let id = 1; id <= 2000; id++) counts[seededSplit(id)]++;
    expect(counts.train / 2000).toBeGreaterThan(0.65);
    expect(counts.train / 2000).toBeLessThan(0.75);
    expect(counts.validation / 2000).toBeGreaterThan(0.12);
    expect(counts.test / 2000).toBeGreaterThan(0.12);
    expect(seededSplit(17)).toBe(seededSplit(17));
    expect(splitOfImage(17, new Map([[17, 'test']]))).toBe('test');
  });
});

describe('training progress messages', () => {
  it('round-trip through the job message and ignore other text', () => {
    const msg = encodeTrainingProgress({ type: 'step', epoch: 1, epochs: 3, step: 2, stepsPerEpoch: 5, loss: 0.3, learningRate: 1e-3 });
    expect(decodeTrainingProgress(msg)).toEqual({ type: 'step', epoch: 1, epochs: 3, step: 2, stepsPerEpoch: 5, loss: 0.3, learningRate: 1e-3 });
    expect(decodeTrainingProgress('reading the dataset')).toBeNull();
    expect(decodeTrainingProgress('training:{"type":"epoch"}')).toBeNull();
    expect(decodeTrainingProgress(null)).toBeNull();
  });
  it('parses --pu-ratio', () => {
    expect(parsePuRatio('1:5')).toBe(5);
    expect(parsePuRatio('16')).toBe(16);
    expect(() => parsePuRatio('5:1')).toThrow();
  });
});
