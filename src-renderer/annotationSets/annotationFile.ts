// A file the user chose or dropped, checked and read before its text goes to main: the format
// from its name, and a size the request may carry (main checks both again).
import { ANNOTATION_TEXT_MAX_CHARS, annotationFormatOfName } from '../../src-shared/annotationFiles';

export type AnnotationFileRead = { ok: true; fileName: string; text: string } | { ok: false; error: string };

/** Dropped files that are annotation files (a drop of TIFFs is an image import instead). */
export function annotationFilesOf(files: readonly File[]): File[] {
  return files.filter((f) => annotationFormatOfName(f.name) !== null);
}

export async function readAnnotationFile(file: File): Promise<AnnotationFileRead> {
  if (annotationFormatOfName(file.name) === null) return { ok: false, error: `${file.name}: not an annotation file (use .csv or .geojson)` };
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  if (file.size > ANNOTATION_TEXT_MAX_CHARS) return { ok: false, error: `${file.name} is larger than an annotation file may be (${mb(ANNOTATION_TEXT_MAX_CHARS)} MB)` };
  const text = await file.text();
  if (text.length > ANNOTATION_TEXT_MAX_CHARS) return { ok: false, error: `${file.name} is larger than an annotation file may be (${mb(ANNOTATION_TEXT_MAX_CHARS)} MB)` };
  return { ok: true, fileName: file.name, text };
}
