// Imports an annotation file onto one image into a named set: the whole file is read and checked
// (format, numbers, geometry, every position inside the image) before anything is written, and
// then written in one transaction, so a bad file leaves nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import { annotationFormatOfName } from '../../../../src-shared/annotationFiles';
import type { ProjectStore } from '../../project/projectStore';
import { setNameProblem } from '../../project/annotationSetsRepo';
import { parseCsvPoints } from './csvPoints';
import { parseGeoJsonFeatures } from './geoJsonFeatures';
import { AnnotationFileError, type ParsedAnnotation } from './parsedAnnotation';
import { geometryOutsideImage, mapPositions, markersOf } from './setGeometry';

export type AnnotationUnits = 'px' | 'um';
export type AnnotationFormat = 'csv' | 'geojson';

/** Larger annotation files are refused before they are read (a marker file is kilobytes). */
export const MAX_ANNOTATION_FILE_BYTES = 256 * 1024 * 1024;
/** The key of entries without a class in the per-class counts. */
export const NO_CLASS = '(none)';

export interface ImportAnnotationsInput {
  imageId: number;
  setName: string;
  file: string;
  units: AnnotationUnits;
  actor: string;
}

export interface ImportAnnotationsOutcome {
  set: string;
  setId: number;
  imageId: number;
  importId: number;
  format: AnnotationFormat;
  units: AnnotationUnits;
  imported: number;
  /** Points they stand for (a MultiPoint counts each point; an outline one). */
  markers: number;
  byGeometry: Record<string, number>;
  byClass: Record<string, number>;
}

/** The format a file name says: .csv, .tsv, .txt are CSV; .geojson, .json GeoJSON. */
export function annotationFormatOf(file: string): AnnotationFormat {
  const format = annotationFormatOfName(file);
  if (format) return format;
  throw new AnnotationFileError(`${path.basename(file)}: unknown annotation format '${path.extname(file).toLowerCase()}' (use .csv or .geojson)`);
}

function tally(entries: readonly ParsedAnnotation[], key: (e: ParsedAnnotation) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[key(e)] = (out[key(e)] ?? 0) + 1;
  return out;
}

export function importAnnotations(store: ProjectStore, input: ImportAnnotationsInput): ImportAnnotationsOutcome {
  const nameProblem = setNameProblem(input.setName);
  if (nameProblem) throw new AnnotationFileError(`set ${JSON.stringify(input.setName)}: ${nameProblem}`);
  if (!store.images.get(input.imageId)) throw new AnnotationFileError(`no image with id ${input.imageId}`);
  annotationFormatOf(input.file);
  const size = fs.statSync(input.file).size;
  if (size > MAX_ANNOTATION_FILE_BYTES) throw new AnnotationFileError(`${path.basename(input.file)} is ${size} bytes, more than an annotation file may be (${MAX_ANNOTATION_FILE_BYTES})`);
  const text = fs.readFileSync(input.file, 'utf8');
  const { file, ...rest } = input;
  return importAnnotationText(store, { ...rest, sourceName: path.basename(file), text });
}

export interface ImportAnnotationTextInput extends Omit<ImportAnnotationsInput, 'file'> {
  /** The file's name (its extension says the format); no path is read. */
  sourceName: string;
  text: string;
}

/**
 * The same import from a file's content: what the app sends (a serve-mode browser has the
 * file's text, not a path main may read).
 */
export function importAnnotationText(store: ProjectStore, input: ImportAnnotationTextInput): ImportAnnotationsOutcome {
  const nameProblem = setNameProblem(input.setName);
  if (nameProblem) throw new AnnotationFileError(`set ${JSON.stringify(input.setName)}: ${nameProblem}`);
  const image = store.images.get(input.imageId);
  if (!image) throw new AnnotationFileError(`no image with id ${input.imageId}`);
  const format = annotationFormatOf(input.sourceName);
  const parsed = format === 'csv' ? parseCsvPoints(input.text) : parseGeoJsonFeatures(input.text);
  if (parsed.length === 0) throw new AnnotationFileError(`${input.sourceName} holds no annotations`);

  let entries = parsed;
  if (input.units === 'um') {
    const nm = image.pixel_size_nm;
    if (nm === null) throw new AnnotationFileError(`image ${image.id} (${image.name}) has no known pixel size, so µm cannot be converted: give pixel coordinates (--units px)`);
    const perUm = 1000 / nm;
    entries = parsed.map((e) => ({ ...e, geometry: mapPositions(e.geometry, (p) => [(p[0] as number) * perUm, (p[1] as number) * perUm, ...p.slice(2)]) }));
  }
  for (const e of entries) {
    const outside = geometryOutsideImage(e.geometry, image.width, image.height);
    if (outside) throw new AnnotationFileError(`${e.where}: ${outside}${input.units === 'um' ? ' (after converting µm to pixels)' : ''}`);
  }

  const repo = store.annotationSets;
  const { setId, importId } = store.transaction(() => {
    const set = repo.ensure(input.setName, input.actor);
    const importId = repo.addImport({ setId: set.id, imageId: image.id, actor: input.actor, sourceName: input.sourceName, format, units: input.units });
    repo.addEntries(set.id, image.id, importId, entries);
    return { setId: set.id, importId };
  });
  return {
    set: repo.find(input.setName)?.name ?? input.setName,
    setId,
    imageId: image.id,
    importId,
    format,
    units: input.units,
    imported: entries.length,
    markers: entries.reduce((n, e) => n + markersOf(e.geometry).length, 0),
    byGeometry: tally(entries, (e) => e.geometry.type),
    byClass: tally(entries, (e) => e.className ?? NO_CLASS),
  };
}
