import { describe, expect, it } from 'vitest';
import {
  checkImage,
  checkSweepRate,
  distributionWarnings,
  intensityStatsFromHistogram,
  MIN_CROPS_FOR_RATE,
} from '../../../src-main/core/ml/distributionCheck';
import { completeModelCard, type ModelCard } from '../../../src-main/core/ml/weights/modelCard';
import { generateSemTile } from '../../generators/sem';

/** 256 equal bins over [0, 2^bits), as the tileStats job counts them. */
function histogramOf(samples: ArrayLike<number>, bits: number): number[] {
  const h = new Array<number>(256).fill(0);
  const shift = bits - 8;
  for (let i = 0; i < samples.length; i++) h[(samples[i] as number) >> shift]!++;
  return h;
}

function pooledHistogram(seeds: number[]): number[] {
  const h = new Array<number>(256).fill(0);
  for (const seed of seeds) histogramOf(generateSemTile({ width: 384, height: 384, seed, markerCount: 1, style: 'varied' }).pixels, 8).forEach((n, i) => (h[i]! += n));
  return h;
}

const training = intensityStatsFromHistogram(pooledHistogram([1, 2, 3, 4]));
const card: ModelCard = completeModelCard(
  { classes: ['Axon DAB'], trainingData: { bitDepth: 8, intensity: training, validationPositiveRate: 0.35, sweepPositiveRate: 1 / 17 } },
  { inChannels: 1, numClasses: 1 },
);

describe('intensityStatsFromHistogram', () => {
  it('gives mean, std and percentiles on the [0, 1] scale from bin centres', () => {
    // Half the samples in bin 0 (centre 0.125 of 4 bins), half in bin 3 (centre 0.875).
    const s = intensityStatsFromHistogram([50, 0, 0, 50]);
    expect(s.mean).toBeCloseTo(0.5, 12);
    expect(s.std).toBeCloseTo(0.375, 12);
    expect(s.p1).toBeCloseTo(0.125, 12);
    expect(s.p50).toBeCloseTo(0.125, 12); // the cumulative count reaches 50 % in bin 0
    expect(s.p95).toBeCloseTo(0.875, 12);
    expect(intensityStatsFromHistogram([0, 0, 0])).toEqual({ mean: 0, std: 0, p1: 0, p5: 0, p50: 0, p95: 0, p99: 0 });
  });
});

describe('checkImage', () => {
  it('finds nothing unusual in another image of the training style', () => {
    const other = generateSemTile({ width: 384, height: 384, seed: 99, markerCount: 1, style: 'varied' });
    expect(checkImage(card, { bitDepth: 8, histogram: histogramOf(other.pixels, 8) })).toEqual([]);
  });

  it('warns about a 16-bit image whose intensities fill only the low 12 bits', () => {
    const sem = generateSemTile({ width: 256, height: 256, seed: 5, markerCount: 1, style: 'varied' }).pixels;
    const twelveBit = Uint16Array.from(sem, (v) => v * 16);
    const warnings = checkImage(card, { bitDepth: 16, histogram: histogramOf(twelveBit, 16) });
    expect(warnings.map((w) => w.kind)).toEqual(['bitDepth', 'intensity']);
    expect(warnings[0]?.message).toBe('16-bit image, the model was trained on 8-bit images');
    expect(warnings[1]?.message).toMatch(/^intensities unlike the training data \(median 0\.0\d outside/);
  });

  it('warns about a flat image (contrast far below training) but not about bit depth alone when it matches', () => {
    const flat = new Array<number>(256).fill(0);
    flat[150] = 1000;
    flat[151] = 1000;
    const warnings = checkImage(card, { bitDepth: 8, histogram: flat });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/spread 0\.00 vs 0\.\d\d in training/);
  });

  it('checks only the bit depth without a histogram, skips intensities under percentile normalisation, and nothing without training statistics', () => {
    expect(checkImage(card, { bitDepth: 16 }).map((w) => w.kind)).toEqual(['bitDepth']);
    const dark = new Array<number>(256).fill(0);
    dark[2] = 100;
    const normalised: ModelCard = { ...card, preprocessing: { invert: false, normalisation: { kind: 'percentile', low: 1, high: 99 } } };
    expect(checkImage(normalised, { bitDepth: 8, histogram: dark })).toEqual([]);
    expect(checkImage(card, { bitDepth: 8, histogram: dark }).map((w) => w.kind)).toEqual(['intensity']);
    const bare = completeModelCard(undefined, { inChannels: 1, numClasses: 1 });
    expect(checkImage(bare, { bitDepth: 16, histogram: dark })).toEqual([]);
  });
});

describe('checkSweepRate', () => {
  it('warns when far more crops are positive than the sweep prior, with both rates', () => {
    // 20 of 256 crops (7.8 %) is within chance of a 5.9 % prior; 40 of 256 (15.6 %) is not.
    expect(checkSweepRate(card, { cropsSwept: 256, positives: 20 })).toBeNull();
    const w = checkSweepRate(card, { cropsSwept: 256, positives: 40 });
    expect(w?.kind).toBe('positiveRate');
    expect(w?.message).toBe("far more positives than the sweep prior the model's threshold was set for (16 % vs 5.9 %): the image may be unlike the training data");
  });

  it('waits for enough crops and falls back to the validation prior', () => {
    expect(checkSweepRate(card, { cropsSwept: MIN_CROPS_FOR_RATE - 1, positives: MIN_CROPS_FOR_RATE - 1 })).toBeNull();
    const noSweepPrior: ModelCard = { ...card, trainingData: { bitDepth: 8, intensity: training, validationPositiveRate: 0.2 } };
    expect(checkSweepRate(noSweepPrior, { cropsSwept: 200, positives: 60 })).toBeNull(); // 30 % < 2.5 × 20 %
    expect(checkSweepRate(noSweepPrior, { cropsSwept: 200, positives: 120 })?.message).toMatch(/validation prior \(60 % vs 20 %\)/);
  });
});

describe('distributionWarnings', () => {
  it('combines the image and the sweep warnings', () => {
    const kinds = distributionWarnings(card, { bitDepth: 16 }, { cropsSwept: 300, positives: 150 }).map((w) => w.kind);
    expect(kinds).toEqual(['bitDepth', 'positiveRate']);
  });
});
