// The measurement table's rows: filters (image, class, decision, score and area ranges) and a
// stable sort on any column. Pure functions over what `measurements.list` returns.
import type { RequestResult } from '../../src-main/api/types';

export type MeasurementList = RequestResult<'measurements.list'>;
export type MeasuredObject = MeasurementList['objects'][number];
export type ClassTotals = MeasurementList['totals'][number];
export type ObjectDecision = MeasuredObject['decision'];

export const DECISIONS: readonly ObjectDecision[] = ['pending', 'accepted', 'declined', 'later', 'added'];

export interface TableFilters {
  imageId: number | null;
  classId: number | null;
  decision: ObjectDecision | null;
  scoreMin: number | null;
  scoreMax: number | null;
  /** px². */
  areaMin: number | null;
  areaMax: number | null;
}

export const NO_FILTERS: TableFilters = { imageId: null, classId: null, decision: null, scoreMin: null, scoreMax: null, areaMin: null, areaMax: null };

export type SortKey = 'image' | 'id' | 'class' | 'score' | 'area' | 'perimeter' | 'diameter' | 'centroid' | 'decision' | 'decidedBy' | 'decidedAt';
export type SortDirection = 'asc' | 'desc';

export function rowKey(o: Pick<MeasuredObject, 'kind' | 'id'>): string {
  return `${o.kind}:${o.id}`;
}

function inRange(v: number | null, min: number | null, max: number | null): boolean {
  if (min === null && max === null) return true;
  if (v === null) return false;
  return (min === null || v >= min) && (max === null || v <= max);
}

export function filterObjects(objects: readonly MeasuredObject[], f: TableFilters): MeasuredObject[] {
  return objects.filter(
    (o) =>
      (f.imageId === null || o.imageId === f.imageId) &&
      (f.classId === null || o.classId === f.classId) &&
      (f.decision === null || o.decision === f.decision) &&
      inRange(o.score, f.scoreMin, f.scoreMax) &&
      inRange(o.areaPx, f.areaMin, f.areaMax),
  );
}

const VALUE: Record<SortKey, (o: MeasuredObject) => number | string | null> = {
  image: (o) => o.imageName,
  id: (o) => o.id,
  class: (o) => o.className,
  score: (o) => o.score,
  area: (o) => o.areaPx,
  perimeter: (o) => o.perimeterPx,
  diameter: (o) => o.equivalentDiameterPx,
  centroid: (o) => o.centroidY * 1e7 + o.centroidX,
  decision: (o) => o.decision,
  decidedBy: (o) => o.decidedBy,
  decidedAt: (o) => o.decidedAt,
};

/** Sorted copy; missing values (no score, no decision yet) last in either direction; ties keep list order. */
export function sortObjects(objects: readonly MeasuredObject[], key: SortKey, direction: SortDirection): MeasuredObject[] {
  const value = VALUE[key];
  const sign = direction === 'asc' ? 1 : -1;
  return objects
    .map((o, i) => ({ o, i, v: value(o) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.o);
}

/** "1,234" px² or "0.0123" µm²: enough digits to tell objects apart, no more. */
export function formatNumber(v: number | null, digits = 3): string {
  if (v === null) return '–';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits + (abs >= 1 ? 1 : 0))).toString();
}
