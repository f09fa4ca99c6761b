// What a reader of an annotation file (CSV, GeoJSON) hands to the import: one entry per point or
// feature, with where in the file it came from so every later check can name it.
import type { SetGeometry } from '../../../../src-shared/setGeometry';
import { DomainError } from '../../../api/domainError';

export interface ParsedAnnotation {
  /** "line 4" or "feature 2 (id "a1")": where a message about this entry points. */
  where: string;
  geometry: SetGeometry;
  className: string | null;
  objectType: string | null;
  /** The GeoJSON feature's id, kept for the export. */
  featureId: string | number | null;
  /** The feature's properties as read, null when it had none (CSV: the class and any extra columns). */
  properties: Record<string, unknown> | null;
}

/** A file that cannot be imported ('bad-request'); the message names the line or feature. */
export class AnnotationFileError extends DomainError {
  constructor(message: string) {
    super('bad-request', message);
    this.name = 'AnnotationFileError';
  }
}
