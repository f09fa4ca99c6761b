// Annotation files as main and the renderer both see them: which names are annotation files
// (and in which format), the default set name a file suggests, and how large a file's text the
// app sends to main (core/annotations/sets reads them; the viewer recognises dropped ones).

export type AnnotationFileFormat = 'csv' | 'geojson';

const FORMATS: Readonly<Record<string, AnnotationFileFormat>> = { csv: 'csv', tsv: 'csv', txt: 'csv', geojson: 'geojson', json: 'geojson' };

/** What a file picker offers: every extension annotationFormatOfName knows. */
export const ANNOTATION_FILE_ACCEPT = Object.keys(FORMATS).map((e) => `.${e}`).join(',');

/** Largest annotation file the app sends, in UTF-16 code units of its text (bytes, for ASCII). */
export const ANNOTATION_TEXT_MAX_CHARS = 16 * 1024 * 1024;

/** The extension of a file name, lower case with its dot ('' when none). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** The format a file name says (.csv, .tsv, .txt: CSV; .geojson, .json: GeoJSON), or null. */
export function annotationFormatOfName(name: string): AnnotationFileFormat | null {
  return FORMATS[extensionOf(name).slice(1)] ?? null;
}

/** The set a file goes into unless the user says otherwise: its name without the extension. */
export function defaultSetName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const ext = extensionOf(base);
  const stem = (ext ? base.slice(0, -ext.length) : base).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (stem || 'annotations').slice(0, 100);
}
