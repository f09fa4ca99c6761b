// The annotations table: one row per drawn or added region (its image, class and shape). What a
// region looks like now lives in the decision log, not here (AnnotationService, reviewItems).
import type { Database, Statement } from 'better-sqlite3';
import type { AnnotationShape } from '../annotations/annotationGeometry';

export interface AnnotationRow {
  id: number;
  image_id: number;
  class_id: number;
  shape: AnnotationShape;
}

export class AnnotationsRepo {
  /** Prepared once: listing an image's annotations looks up each one in effect. */
  private getStatement: Statement<[number], AnnotationRow> | null = null;

  constructor(private readonly db: Database) {}

  /** Adds the row; returns its id. */
  create(imageId: number, classId: number, shape: AnnotationShape): number {
    const info = this.db.prepare('INSERT INTO annotations (image_id, class_id, shape) VALUES (?, ?, ?)').run(imageId, classId, shape);
    return Number(info.lastInsertRowid);
  }

  get(id: number): AnnotationRow | undefined {
    this.getStatement ??= this.db.prepare<[number], AnnotationRow>('SELECT id, image_id, class_id, shape FROM annotations WHERE id = ?');
    return this.getStatement.get(id);
  }

  listForImage(imageId: number): AnnotationRow[] {
    return this.db.prepare('SELECT id, image_id, class_id, shape FROM annotations WHERE image_id = ? ORDER BY id').all(imageId) as AnnotationRow[];
  }
}
