import { describe, expect, it } from 'vitest';
import { binaryMask } from '../../../src-main/core/metrics/binaryMask';
import { dice, iou, pixelCounts, segmentationScores } from '../../../src-main/core/metrics/segmentation';

const m = (w: number, rows: number[][]) => binaryMask(w, rows.length, Uint8Array.from(rows.flat()));

describe('segmentation scores', () => {
  const truth = m(4, [
    [1, 1, 0, 0],
    [1, 1, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ]);
  const prediction = m(4, [
    [0, 1, 1, 0],
    [0, 1, 1, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ]);

  it('counts pixels and scores a half-overlapping prediction', () => {
    expect(pixelCounts(truth, prediction)).toEqual({ tp: 2, fp: 2, fn: 2, tn: 10 });
    const s = segmentationScores(truth, prediction);
    expect(s.f1).toBeCloseTo(0.5, 12);
    expect(s.iou).toBeCloseTo(1 / 3, 12);
    expect(s.precision).toBeCloseTo(0.5, 12);
    expect(s.recall).toBeCloseTo(0.5, 12);
  });

  it('treats any non-zero byte as foreground', () => {
    const p255 = binaryMask(4, 4, prediction.data.map((v) => v * 255));
    expect(dice(truth, p255)).toBeCloseTo(0.5, 12);
  });

  it('scores the identical mask 1 and the complement 0', () => {
    expect(dice(truth, truth)).toBe(1);
    expect(iou(truth, truth)).toBe(1);
    const complement = binaryMask(4, 4, truth.data.map((v) => 1 - v));
    expect(dice(truth, complement)).toBe(0);
    expect(iou(truth, complement)).toBe(0);
  });

  it('handles empty masks: both empty is perfect, one empty scores 0', () => {
    const empty = binaryMask(4, 4, new Uint8Array(16));
    expect(segmentationScores(empty, empty)).toMatchObject({ f1: 1, iou: 1, precision: 1, recall: 1 });
    expect(segmentationScores(truth, empty)).toMatchObject({ f1: 0, iou: 0, precision: 0, recall: 0, fn: 4 });
    expect(segmentationScores(empty, truth)).toMatchObject({ f1: 0, iou: 0, fp: 4 });
  });

  it('rejects masks of different sizes', () => {
    expect(() => dice(truth, binaryMask(2, 2, new Uint8Array(4)))).toThrow(/differ in size/);
    expect(() => binaryMask(3, 3, new Uint8Array(8))).toThrow(/needs 9 bytes/);
  });
});
