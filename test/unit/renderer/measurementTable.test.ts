// The measurement table's filters and sort, on rows as measurements.list returns them.
import { describe, expect, it } from 'vitest';
import { filterObjects, formatNumber, NO_FILTERS, sortObjects, type MeasuredObject } from '../../../src-renderer/measurements/measurementTable';

function row(id: number, o: Partial<MeasuredObject>): MeasuredObject {
  return {
    kind: 'suggestion', id, imageId: 1, imageName: 'a.tif', classId: 1, className: 'marker', score: 0.5, decision: 'pending', decidedBy: null, decidedAt: null,
    box: [0, 0, 1, 1], areaPx: 100, areaUm2: null, perimeterPx: 40, perimeterUm: null, equivalentDiameterPx: 11.3, equivalentDiameterUm: null,
    centroidX: 0, centroidY: 0, centroidXUm: null, centroidYUm: null, ...o,
  };
}

const rows = [
  row(1, { areaPx: 500, score: 0.9, decision: 'accepted', decidedAt: '2026-01-02' }),
  row(2, { areaPx: 50, score: 0.3, imageId: 2, imageName: 'b.tif' }),
  row(3, { areaPx: 200, score: null, kind: 'annotation', decision: 'added', classId: 2, className: 'other', decidedAt: '2026-01-01' }),
  row(4, { areaPx: 200, score: 0.6, decision: 'declined' }),
];
const ids = (list: MeasuredObject[]) => list.map((r) => r.id);

describe('measurement table', () => {
  it('filters by image, class, decision and score / area ranges', () => {
    expect(ids(filterObjects(rows, { ...NO_FILTERS, imageId: 2 }))).toEqual([2]);
    expect(ids(filterObjects(rows, { ...NO_FILTERS, classId: 2 }))).toEqual([3]);
    expect(ids(filterObjects(rows, { ...NO_FILTERS, decision: 'declined' }))).toEqual([4]);
    expect(ids(filterObjects(rows, { ...NO_FILTERS, areaMin: 100, areaMax: 200 }))).toEqual([3, 4]);
    // A score range leaves out objects without a score.
    expect(ids(filterObjects(rows, { ...NO_FILTERS, scoreMin: 0.5 }))).toEqual([1, 4]);
  });

  it('sorts both ways, missing values last, ties in list order', () => {
    expect(ids(sortObjects(rows, 'area', 'desc'))).toEqual([1, 3, 4, 2]);
    expect(ids(sortObjects(rows, 'area', 'asc'))).toEqual([2, 3, 4, 1]);
    expect(ids(sortObjects(rows, 'score', 'asc'))).toEqual([2, 4, 1, 3]);
    expect(ids(sortObjects(rows, 'score', 'desc'))).toEqual([1, 4, 2, 3]);
    expect(ids(sortObjects(rows, 'image', 'desc'))).toEqual([2, 1, 3, 4]);
    expect(ids(sortObjects(rows, 'decidedAt', 'asc'))).toEqual([3, 1, 2, 4]);
  });

  it('formats numbers with a few significant digits', () => {
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(0.001234567)).toBe('0.00123');
    expect(formatNumber(12.3456)).toBe('12.35');
  });
});
