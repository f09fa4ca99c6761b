import { describe, expect, it } from 'vitest';
import { completeModelCard } from '../../../src-main/core/ml/weights/modelCard';
import { applyPreprocessing } from '../../../src-main/core/ml/preprocess';

describe('completeModelCard', () => {
  it('fills every missing field with its documented default', () => {
    const card = completeModelCard(undefined, { inChannels: 1, numClasses: 2, trainSize: 256 });
    expect(card).toEqual({
      classes: ['class 1', 'class 2'],
      inputSize: 256,
      inChannels: 1,
      preprocessing: { invert: false, normalisation: { kind: 'none' } },
      classThresholds: [0.5, 0.5],
      provenance: { parent: null, dataset: null, trainedAt: null, backend: null, epochs: null, metrics: {} },
    });
    expect(completeModelCard({}, { inChannels: 1, numClasses: 1 }).inputSize).toBe(512);
  });

  it('keeps given fields and rejects cards that contradict the weights', () => {
    const card = completeModelCard(
      { classes: ['Axon DAB'], preprocessing: { invert: true }, classThresholds: [0.8], provenance: { epochs: 12 } },
      { inChannels: 1, numClasses: 1 },
    );
    expect(card.classes).toEqual(['Axon DAB']);
    expect(card.preprocessing).toEqual({ invert: true, normalisation: { kind: 'none' } });
    expect(card.classThresholds).toEqual([0.8]);
    expect(card.provenance.epochs).toBe(12);
    expect(() => completeModelCard({ classes: ['a', 'b'] }, { inChannels: 1, numClasses: 1 })).toThrow(/2 classes/);
    expect(() => completeModelCard({ inChannels: 3 }, { inChannels: 1, numClasses: 1 })).toThrow(/3 input channels/);
    expect(() => completeModelCard({ classThresholds: [2] }, { inChannels: 1, numClasses: 1 })).toThrow(/malformed/);
  });
});

describe('model card training statistics', () => {
  it('keeps the optional training statistics and loads old cards without them', () => {
    const trainingData = {
      bitDepth: 8,
      intensity: { mean: 0.6, std: 0.12, p1: 0.2, p5: 0.35, p50: 0.62, p95: 0.78, p99: 0.85 },
      validationPositiveRate: 0.35,
      sweepPositiveRate: 1 / 17,
    };
    expect(completeModelCard({ trainingData }, { inChannels: 1, numClasses: 1 }).trainingData).toEqual(trainingData);
    expect(completeModelCard({ classes: ['a'] }, { inChannels: 1, numClasses: 1 }).trainingData).toBeUndefined();
    expect(() => completeModelCard({ trainingData: { bitDepth: 8 } }, { inChannels: 1, numClasses: 1 })).toThrow(/malformed/);
  });
});

describe('applyPreprocessing', () => {
  it('inverts first, then scales', () => {
    const v = Float32Array.from([0, 0.25, 1]);
    applyPreprocessing(v, { invert: true, normalisation: { kind: 'scale', scale: 2, offset: -1 } });
    expect(Array.from(v)).toEqual([1, 0.5, -1]);
  });
  it('stretches between percentiles and clips to [0, 1]', () => {
    const v = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    applyPreprocessing(v, { invert: false, normalisation: { kind: 'percentile', low: 10, high: 90 } });
    // p10 = 1, p90 = 9
    expect(v[0]).toBe(0);
    expect(v[5]).toBeCloseTo(0.5, 6);
    expect(v[10]).toBe(1);
  });
});
