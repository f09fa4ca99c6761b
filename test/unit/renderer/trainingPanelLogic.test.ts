// The training panel's pure parts: epochs → plot columns, job messages → progress, the form →
// training.start, the PR curve → threshold, a model → its card facts.
import { describe, expect, it } from 'vitest';
import { accuracyColumns, bestEpoch, lossColumns, mergeEpoch, type EpochPoint } from '../../../src-renderer/training/epochSeries';
import { classesWithThresholds, modelFacts } from '../../../src-renderer/training/modelFacts';
import { curveForPlot, maxF1Point, pointAtThreshold, prPlotData, type PrPoint } from '../../../src-renderer/training/prCurve';
import { DEFAULT_TRAINING_FORM, formProblem, startParams } from '../../../src-renderer/training/trainingParams';
import { formatDuration, fractionDone, isCancelling, parseTrainingMessage } from '../../../src-renderer/training/trainingStatus';

const epoch = (n: number, trainLoss: number, valLoss: number | null, best = false): EpochPoint => ({
  epoch: n,
  trainLoss,
  trainAccuracy: 0.5 + n / 10,
  valLoss,
  valAccuracy: valLoss === null ? null : 0.4 + n / 10,
  learningRate: 1e-3,
  seconds: 2,
  best,
});

describe('epoch series', () => {
  it('merges live and replayed epochs without duplicates, in order', () => {
    let e: EpochPoint[] = [];
    e = mergeEpoch(e, epoch(2, 0.5, 0.6));
    e = mergeEpoch(e, epoch(1, 0.7, 0.8, true));
    e = mergeEpoch(e, epoch(2, 0.45, 0.55, true));
    expect(e.map((x) => [x.epoch, x.trainLoss])).toEqual([[1, 0.7], [2, 0.45]]);
    expect(lossColumns(e)).toEqual([[1, 2], [0.7, 0.45], [0.8, 0.55]]);
    const acc = accuracyColumns(e);
    expect(acc[1][0]).toBeCloseTo(60);
    expect(acc[2][1]).toBeCloseTo(60);
    expect(bestEpoch(e)).toBe(2);
    expect(accuracyColumns([epoch(1, 1, null)])[2]).toEqual([null]);
  });
});

describe('training status', () => {
  it('reads step and epoch progress and keeps other messages as text', () => {
    const step = parseTrainingMessage('training:{"type":"step","epoch":2,"epochs":5,"step":3,"stepsPerEpoch":10,"loss":0.42,"learningRate":0.001}');
    expect(step).toEqual({ type: 'step', epoch: 2, epochs: 5, step: 3, stepsPerEpoch: 10, loss: 0.42, learningRate: 0.001 });
    expect(parseTrainingMessage('training:{"type":"epoch","metrics":{"epoch":4}}')).toEqual({ type: 'epoch', epoch: 4 });
    expect(parseTrainingMessage('reading the dataset')).toEqual({ type: 'text', text: 'reading the dataset' });
    expect(parseTrainingMessage('training:{not json')).toBeNull();
    expect(parseTrainingMessage('training:{"type":"step"}')).toBeNull();
    expect(parseTrainingMessage(null)).toBeNull();
  });

  it('formats durations and fractions', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('–');
    expect(fractionDone(3, 12)).toBe(0.25);
    expect(fractionDone(3, 0)).toBe(0);
  });

  it('says cancelling from the request (this window) or the server (any window) until the job ends', () => {
    const running = { id: 7, status: 'running' };
    expect(isCancelling(running, null)).toBe(false);
    expect(isCancelling(running, 7)).toBe(true);
    expect(isCancelling(running, 6)).toBe(false);
    expect(isCancelling({ ...running, cancelling: true }, null)).toBe(true);
    expect(isCancelling({ id: 7, status: 'cancelled' }, 7)).toBe(false);
    expect(isCancelling({ id: 7, status: 'done', cancelling: true }, 7)).toBe(false);
  });
});

describe('training form', () => {
  it('builds training.start at the labelling crop size, with the chosen base', () => {
    expect(formProblem(DEFAULT_TRAINING_FORM)).toBeNull();
    expect(startParams({ ...DEFAULT_TRAINING_FORM, epochs: 1, name: '  tiny ' }, 256)).toEqual({
      mode: 'all', epochs: 1, puRatio: 5, learningRate: 0.001, batchSize: 8, seed: 1, cropSize: 256, name: 'tiny',
    });
    expect(startParams({ ...DEFAULT_TRAINING_FORM, mode: 'linear', base: 'model:3' }, 128)).toMatchObject({ mode: 'linear', base: { kind: 'model', id: 3 }, cropSize: 128 });
    expect(startParams({ ...DEFAULT_TRAINING_FORM, base: 'default' }, 256)).toMatchObject({ base: { kind: 'default' } });
    expect(formProblem({ ...DEFAULT_TRAINING_FORM, mode: 'linear', base: 'default' })).toBeNull();
  });

  it('explains what blocks a start', () => {
    expect(formProblem({ ...DEFAULT_TRAINING_FORM, mode: 'linear+4' })).toMatch(/base model/);
    expect(formProblem({ ...DEFAULT_TRAINING_FORM, epochs: 0 })).toMatch(/Epochs/);
    expect(formProblem({ ...DEFAULT_TRAINING_FORM, learningRate: 0 })).toMatch(/learning rate/);
    expect(formProblem({ ...DEFAULT_TRAINING_FORM, batchSize: 2.5 })).toMatch(/batch/);
  });
});

describe('PR curve', () => {
  const p = (threshold: number, precision: number, recall: number): PrPoint => {
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { threshold, precision, recall, f1, tp: 0, fp: 0, fn: 0 };
  };
  const curve = [p(0.1, 0.5, 1), p(0.9, 1, 0.2), p(0.5, 0.8, 0.8), p(0.7, 0.9, 0.5), p(0.6, 0.85, 0.8)];

  it('orders points along recall, higher threshold first among ties', () => {
    expect(curveForPlot(curve).map((x) => x.threshold)).toEqual([0.9, 0.7, 0.6, 0.5, 0.1]);
    expect(prPlotData(curve)).toEqual([[0.2, 0.5, 0.8, 0.8, 1], [1, 0.9, 0.85, 0.8, 0.5]]);
  });

  it('finds the max-F1 point and the point nearest a threshold', () => {
    expect(maxF1Point(curve)?.threshold).toBe(0.6);
    expect(pointAtThreshold(curve, 0.66)?.threshold).toBe(0.7);
    expect(maxF1Point([])).toBeNull();
  });
});

describe('model facts', () => {
  it('shows parent, dataset, backend, duration and metrics of a trained model', () => {
    const facts = modelFacts(
      {
        id: 4,
        name: 'fine-tuned',
        parentId: 2,
        origin: 'trained',
        status: 'ready',
        card: {
          classes: ['Axon'],
          classThresholds: [0.42],
          inputSize: 256,
          inChannels: 1,
          provenance: { backend: 'wasm', epochs: 3, base: { name: 'Default model (bundled)', sha256: 'ab12'.repeat(16), newHeadRows: ['Axon'] } },
        },
        datasetSnapshot: { items: 12, unlabelledCandidates: 30, puRatio: 8, stats: { cropSize: 256 } },
        metrics: { validation_accuracy: 0.875, seconds: 75, epochs: 3, bestEpoch: 2, backend: 'wasm', counts: { train: 10 } },
        createdAt: '2025-01-02T03:04:05.000Z',
        trainingOutcome: 'completed',
      },
      (id) => (id === 2 ? 'default SEM' : null),
    );
    const byLabel = Object.fromEntries(facts.map((f) => [f.label, f.value]));
    expect(byLabel).toMatchObject({
      parent: '#2 default SEM',
      base: 'Default model (bundled) (sha256 ab12ab12ab12…); new head rows: Axon',
      status: 'ready (completed)',
      classes: 'Axon (t = 0.42)',
      backend: 'wasm',
      duration: '1 min 15 s',
      epochs: '3 (best 2)',
      dataset: '12 labelled crops, 30 unlabelled candidates, P:U 1:8, crops 256²',
      metrics: 'validation accuracy 0.875',
      input: '256² px, 1 channel(s)',
    });
    expect(classesWithThresholds({ classes: ['a', 'b'], classThresholds: [0.3] })).toEqual([
      { name: 'a', threshold: 0.3 },
      { name: 'b', threshold: null },
    ]);
  });
});
