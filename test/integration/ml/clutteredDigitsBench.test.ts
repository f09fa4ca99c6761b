// Smoke test of `npm run bench:digits` (scripts/clutteredDigits.ts): the benchmark's core at a
// toy scale (8 training fields of 64², one epoch) prints a report of the documented shape with
// finite numbers, scores in [0, 1] and a learning curve; running it again resumes (nothing left
// to train, same curve), and another configuration in the same folder is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDigitsBenchmark, type DigitsBenchConfig } from '../../../scripts/digits/digitsBenchmark';
import { DigitsReportSchema } from '../../../scripts/digits/digitsReport';

const CONFIG: DigitsBenchConfig = { train: 8, validation: 4, test: 4, epochs: 1, size: 64, batchSize: 4, learningRate: 1e-3, seed: 1, segment: 2, workers: 1 };

/** Every number anywhere in the report. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbers);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

describe('cluttered-digits benchmark (toy scale)', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-digits-'));
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('reports the learning curve, test accuracy and precise vs coarse segmentation', async () => {
    const progress: string[] = [];
    const report = await runDigitsBenchmark(CONFIG, { workDir, backend: 'wasm', onProgress: (p) => progress.push(p.phase) });
    expect(DigitsReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(numbers(report).every(Number.isFinite)).toBe(true);
    expect(report.scale).toMatchObject({ trainFields: 8, validationFields: 4, testFields: 4, epochs: 1, fieldSize: 64, segmentedFields: 2, workers: 1, fullScale: false });
    expect(report.learningCurve).toHaveLength(1);
    const [epoch] = report.learningCurve;
    for (const v of [epoch!.trainAccuracy, epoch!.valAccuracy, report.test.accuracy, report.test.exactMatch, ...report.test.perClassAccuracy]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    for (const m of [report.segmentation.precise, report.segmentation.coarse]) for (const v of Object.values(m)) expect(v >= 0 && v <= 1).toBe(true);
    expect(report.segmentation.pairs).toBeGreaterThan(0);
    expect(report.fullScaleEstimate.seconds).toBeGreaterThan(0);
    expect(new Set(progress)).toEqual(new Set(['train', 'validation', 'test', 'segment']));
  }, 120_000);

  it('resumes from its checkpoints, and refuses another configuration in the same folder', async () => {
    const report = await runDigitsBenchmark(CONFIG, { workDir, backend: 'wasm' });
    expect(report.timing.resumedFromEpoch).toBe(1);
    expect(report.learningCurve).toHaveLength(1);
    await expect(runDigitsBenchmark({ ...CONFIG, epochs: 2 }, { workDir, backend: 'wasm' })).rejects.toThrow(/another configuration/);
  }, 120_000);
});
