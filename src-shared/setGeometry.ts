// The geometry of an annotation-set entry, as main stores it and the viewer draws it: a GeoJSON
// geometry of the kinds QuPath writes, in level-0 image pixels (x to the right, y down).

/** [x, y] or [x, y, z]: GeoJSON positions; z is kept but never used. */
export type Position = readonly number[];

export type SetGeometry =
  | { readonly type: 'Point'; readonly coordinates: Position }
  | { readonly type: 'MultiPoint'; readonly coordinates: readonly Position[] }
  | { readonly type: 'LineString'; readonly coordinates: readonly Position[] }
  | { readonly type: 'Polygon'; readonly coordinates: readonly (readonly Position[])[] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly (readonly Position[])[])[] };

export type SetGeometryType = SetGeometry['type'];
export const SET_GEOMETRY_TYPES: readonly SetGeometryType[] = ['Point', 'MultiPoint', 'LineString', 'Polygon', 'MultiPolygon'];
