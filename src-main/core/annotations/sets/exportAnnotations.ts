// Writes one set's entries on one image: GeoJSON (a FeatureCollection of the features as they
// were imported — id, geometry and properties unchanged, so QuPath and a re-import see the same
// file) or CSV (x,y,class: one row per marker, an outline by its centroid; what marker tools
// read). The format follows the file name, as for the import.
import fs from 'node:fs';
import path from 'node:path';
import { quote } from '../../export/exportCsv';
import type { ProjectStore } from '../../project/projectStore';
import { type SetEntry } from '../../project/annotationSetsRepo';
import { annotationFormatOf, type AnnotationFormat } from './importAnnotations';
import { markersOf } from './setGeometry';

export function setEntriesGeoJson(entries: readonly SetEntry[]): object {
  return {
    type: 'FeatureCollection',
    features: entries.map((e) => ({ type: 'Feature', ...(e.featureId === null ? {} : { id: e.featureId }), geometry: e.geometry, properties: e.properties })),
  };
}

export function setEntriesCsv(entries: readonly SetEntry[]): string {
  const rows = ['x,y,class'];
  for (const e of entries) for (const m of markersOf(e.geometry)) rows.push([quote(m.x), quote(m.y), quote(e.className)].join(','));
  return `${rows.join('\n')}\n`;
}

export interface AnnotationSetFile {
  set: string;
  imageId: number;
  format: AnnotationFormat;
  /** A safe download name: <image id>_<image>_<set>.csv|.geojson. */
  fileName: string;
  contentType: string;
  body: string;
  entries: number;
  markers: number;
}

const safeStem = (text: string): string => text.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'set';

/** One set's entries on one image as a file's content (the CLI writes it, the app downloads it). */
export function annotationSetFile(store: ProjectStore, o: { imageId: number; setName: string; format: AnnotationFormat }): AnnotationSetFile {
  const image = store.images.get(o.imageId);
  if (!image) throw new Error(`no image with id ${o.imageId}`);
  const set = store.annotationSets.require(o.setName);
  const entries = store.annotationSets.entries(set.id, o.imageId);
  const body = o.format === 'csv' ? setEntriesCsv(entries) : `${JSON.stringify(setEntriesGeoJson(entries))}\n`;
  return {
    set: set.name,
    imageId: o.imageId,
    format: o.format,
    fileName: `${image.id}_${safeStem(image.name)}_${safeStem(set.name)}.${o.format}`,
    contentType: o.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json',
    body,
    entries: entries.length,
    markers: entries.reduce((n, e) => n + markersOf(e.geometry).length, 0),
  };
}

export function exportAnnotationSet(store: ProjectStore, o: { imageId: number; setName: string; out: string }): { set: string; imageId: number; format: AnnotationFormat; entries: number; markers: number; file: string } {
  if (!store.images.get(o.imageId)) throw new Error(`no image with id ${o.imageId}`);
  const f = annotationSetFile(store, { imageId: o.imageId, setName: o.setName, format: annotationFormatOf(o.out) });
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, f.body);
  return { set: f.set, imageId: o.imageId, format: f.format, entries: f.entries, markers: f.markers, file: o.out };
}
