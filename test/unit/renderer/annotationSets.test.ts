// Pure helpers of the annotation-set UI: which dropped files are annotation files, the set name a
// file suggests, and the recall-vs-shown curve as uPlot needs it (x rising, one point per x).
import { describe, expect, it } from 'vitest';
import { annotationFormatOfName, defaultSetName } from '../../../src-shared/annotationFiles';
import { curveForPlot } from '../../../src-renderer/annotationSets/recallShown';

describe('annotation files', () => {
  it('knows the formats by extension, any case, and nothing else', () => {
    expect(['a.csv', 'B.TSV', 'c.txt', 'd.GeoJSON', 'e.json'].map(annotationFormatOfName)).toEqual(['csv', 'csv', 'csv', 'geojson', 'geojson']);
    expect(['a.tif', 'csv', '.csv', 'dir.csv/x', 'a.csv.bak'].map(annotationFormatOfName)).toEqual([null, null, null, null, null]);
  });

  it('suggests the file name without its extension as the set', () => {
    expect(defaultSetName('expert-a.csv')).toBe('expert-a');
    expect(defaultSetName('C:\\data\\slide 3.markers.geojson')).toBe('slide 3.markers');
    expect(defaultSetName('.csv')).toBe('.csv');
    expect(defaultSetName('\u0007.json')).toBe('annotations');
    expect(defaultSetName(`${'x'.repeat(150)}.csv`)).toHaveLength(100);
  });
});

describe('curveForPlot', () => {
  it('orders by the share shown and keeps the best recall of equal shares', () => {
    const p = (threshold: number, shownFraction: number, recall: number) => ({ threshold, shownFraction, recall, precision: 1, candidates: 1 });
    expect(curveForPlot([p(0.9, 0.1, 0.3), p(0.8, 0.1, 0.5), p(0.7, 0.3, 0.6), p(0.95, 0.05, 0.1)]).map((q) => [q.shownFraction, q.recall])).toEqual([
      [0.05, 0.1],
      [0.1, 0.5],
      [0.3, 0.6],
    ]);
  });
});
