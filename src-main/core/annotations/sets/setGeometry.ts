// Geometry of an annotation-set entry: a GeoJSON geometry (the kinds QuPath writes) in level-0
// image pixels, x to the right and y down as QuPath and our export use. Validation is by hand so
// that a bad file gets a message a person can act on ("ring 0 is not closed"), and the object is
// kept as read (extra keys included) so an export gives back what came in.
import type { Point2 } from '../../metrics/detection';

import { SET_GEOMETRY_TYPES, type Position, type SetGeometry } from '../../../../src-shared/setGeometry';

export class GeometryError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function position(v: unknown, where: string): Position {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3 || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new GeometryError(`${where} is not a position [x, y] of finite numbers`);
  }
  return v as number[];
}

function positions(v: unknown, where: string, min: number): Position[] {
  if (!Array.isArray(v)) throw new GeometryError(`${where} is not an array of positions`);
  if (v.length < min) throw new GeometryError(`${where} has ${v.length} position(s), at least ${min} needed`);
  return v.map((p, i) => position(p, `${where} position ${i}`));
}

function ring(v: unknown, where: string): Position[] {
  const r = positions(v, where, 4);
  const first = r[0] as Position;
  const last = r[r.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) throw new GeometryError(`${where} is not closed (its first and last positions differ)`);
  return r;
}

function polygon(v: unknown, where: string): Position[][] {
  if (!Array.isArray(v) || v.length === 0) throw new GeometryError(`${where} has no rings`);
  return v.map((r, i) => ring(r, `${where} ring ${i}`));
}

function nonEmptyArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw new GeometryError(`${where} is empty`);
  return v;
}

/** Checks a GeoJSON geometry of a supported kind; returns the same object, typed. */
export function parseSetGeometry(v: unknown): SetGeometry {
  if (!isObject(v)) throw new GeometryError('geometry is missing or not an object');
  const c = v.coordinates;
  switch (v.type) {
    case 'Point':
      position(c, 'Point coordinates');
      break;
    case 'MultiPoint':
      nonEmptyArray(c, 'MultiPoint');
      positions(c, 'MultiPoint', 1);
      break;
    case 'LineString':
      positions(c, 'LineString', 2);
      break;
    case 'Polygon':
      polygon(c, 'Polygon');
      break;
    case 'MultiPolygon':
      nonEmptyArray(c, 'MultiPolygon').forEach((p, i) => polygon(p, `MultiPolygon polygon ${i}`));
      break;
    default:
      throw new GeometryError(`geometry type ${JSON.stringify(v.type)} is not supported (use ${SET_GEOMETRY_TYPES.join(', ')})`);
  }
  return v as unknown as SetGeometry;
}

/** Every position of the geometry, flattened. */
export function allPositions(g: SetGeometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return [...g.coordinates];
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
  }
}

/** The geometry with every position mapped (other keys of the object kept). */
export function mapPositions(g: SetGeometry, f: (p: Position) => Position): SetGeometry {
  switch (g.type) {
    case 'Point':
      return { ...g, coordinates: f(g.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...g, coordinates: g.coordinates.map(f) };
    case 'Polygon':
      return { ...g, coordinates: g.coordinates.map((r) => r.map(f)) };
    case 'MultiPolygon':
      return { ...g, coordinates: g.coordinates.map((p) => p.map((r) => r.map(f))) };
  }
}

/**
 * Why the geometry does not fit a width × height image, or null when it does. A point must lie
 * on a pixel (x < width); outline vertices may lie on the far edge (x ≤ width), as a polygon
 * around the last pixel column does — the rule of manual annotations (annotationGeometry.ts).
 */
export function geometryOutsideImage(g: SetGeometry, width: number, height: number): string | null {
  const points = g.type === 'Point' || g.type === 'MultiPoint';
  for (const [x, y] of allPositions(g) as [number, number][]) {
    const inside = points ? x >= 0 && y >= 0 && x < width && y < height : x >= 0 && y >= 0 && x <= width && y <= height;
    if (!inside) return `${g.type} position (${x}, ${y}) is outside the ${width}×${height} image`;
  }
  return null;
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boundsOf(g: SetGeometry): Bounds {
  const b: Bounds = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const [x, y] of allPositions(g) as [number, number][]) {
    b.x0 = Math.min(b.x0, x);
    b.y0 = Math.min(b.y0, y);
    b.x1 = Math.max(b.x1, x);
    b.y1 = Math.max(b.y1, y);
  }
  return b;
}

/** Signed area and area-weighted centroid sums of one ring (shoelace). */
function ringMoments(r: readonly Position[]): { a: number; cx: number; cy: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < r.length; i++) {
    const [x0, y0] = r[i] as [number, number];
    const [x1, y1] = r[i + 1] as [number, number];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  return { a: a / 2, cx: cx / 6, cy: cy / 6 };
}

function mean(ps: readonly Position[]): Point2 {
  let x = 0;
  let y = 0;
  for (const p of ps) {
    x += p[0] as number;
    y += p[1] as number;
  }
  return { x: x / ps.length, y: y / ps.length };
}

/** Area centroid of polygons (holes subtract: a hole's ring counts with the opposite sign to its outer ring). */
function polygonsCentroid(polygons: readonly (readonly (readonly Position[])[])[]): Point2 {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const rings of polygons) {
    rings.forEach((r, i) => {
      const m = ringMoments(r);
      // Orientation differs between tools: outer rings add, holes subtract, whatever the winding.
      const sign = (i === 0 ? 1 : -1) * Math.sign(m.a);
      a += sign * m.a;
      cx += sign * m.cx;
      cy += sign * m.cy;
    });
  }
  if (Math.abs(a) < 1e-12) return mean(polygons.flat(2));
  return { x: cx / a, y: cy / a };
}

function lineCentroid(line: readonly Position[]): Point2 {
  let len = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [x0, y0] = line[i] as [number, number];
    const [x1, y1] = line[i + 1] as [number, number];
    const l = Math.hypot(x1 - x0, y1 - y0);
    len += l;
    x += ((x0 + x1) / 2) * l;
    y += ((y0 + y1) / 2) * l;
  }
  return len === 0 ? mean(line) : { x: x / len, y: y / len };
}

/**
 * The markers an entry stands for when it is counted, matched or cropped around: each point of
 * a Point or MultiPoint, the area centroid of a Polygon or MultiPolygon (one object, however
 * many parts), the length-weighted centroid of a LineString.
 */
export function markersOf(g: SetGeometry): Point2[] {
  switch (g.type) {
    case 'Point':
      return [{ x: g.coordinates[0] as number, y: g.coordinates[1] as number }];
    case 'MultiPoint':
      return g.coordinates.map((p) => ({ x: p[0] as number, y: p[1] as number }));
    case 'LineString':
      return [lineCentroid(g.coordinates)];
    case 'Polygon':
      return [polygonsCentroid([g.coordinates])];
    case 'MultiPolygon':
      return [polygonsCentroid(g.coordinates)];
  }
}
