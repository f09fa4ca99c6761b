// The tables of annotation sets (migrations 006, 009): sets, the imports that filled them (who, when,
// which file) and their entries. Reads parse stored JSON again, through the same checks as a
// file, so a damaged row is an error rather than a wrong answer.
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../api/domainError';
import type { ParsedAnnotation } from '../annotations/sets/parsedAnnotation';
import type { SetGeometry, SetGeometryType } from '../../../src-shared/setGeometry';
import { parseSetGeometry } from '../annotations/sets/setGeometry';

export interface AnnotationSetRow {
  id: number;
  name: string;
  created_by: string;
  created_at: string;
}

export interface SetEntry {
  id: number;
  setId: number;
  imageId: number;
  importId: number;
  position: number;
  geometry: SetGeometry;
  className: string | null;
  objectType: string | null;
  featureId: string | number | null;
  properties: Record<string, unknown> | null;
  /** Who imported it, and when. */
  actor: string;
  createdAt: string;
}

export interface NewImport {
  setId: number;
  imageId: number;
  actor: string;
  sourceName: string;
  format: 'csv' | 'geojson';
  units: 'px' | 'um';
}

interface EntryRow {
  id: number;
  set_id: number;
  image_id: number;
  import_id: number;
  position: number;
  geometry_type: SetGeometryType;
  geometry: string;
  class_name: string | null;
  object_type: string | null;
  feature_id: string | null;
  properties: string;
  actor: string;
  created_at: string;
}

/** A set name: 1–100 characters, no control characters, not only spaces. */
export function setNameProblem(name: string): string | null {
  if (name.trim().length === 0 || name.length > 100) return 'a set name has 1 to 100 characters';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a set name has no control characters';
  return null;
}

export class AnnotationSetsRepo {
  constructor(private readonly db: Database) {}

  find(name: string): AnnotationSetRow | undefined {
    return this.db.prepare('SELECT * FROM annotation_sets WHERE name = ?').get(name) as AnnotationSetRow | undefined;
  }

  /**
   * The set called `name` (names ignore case), created by `actor` when missing. A new set is
   * numbered past every set there ever was, deleted ones included (migration 009): crop labels
   * made from a deleted set name its id, which must never come to mean another set.
   */
  ensure(name: string, actor: string): AnnotationSetRow {
    const problem = setNameProblem(name);
    if (problem) throw new Error(problem);
    this.db
      .prepare(
        `INSERT INTO annotation_sets (id, name, created_by)
         VALUES (1 + max((SELECT coalesce(max(id), 0) FROM annotation_sets), (SELECT coalesce(max(set_id), 0) FROM annotation_set_deletions)), ?, ?)
         ON CONFLICT (name) DO NOTHING`,
      )
      .run(name, actor);
    return this.find(name) as AnnotationSetRow;
  }

  list(): AnnotationSetRow[] {
    return this.db.prepare('SELECT * FROM annotation_sets ORDER BY id').all() as AnnotationSetRow[];
  }

  /** Entries per image and geometry type of one set. */
  counts(setId: number): Array<{ imageId: number; geometryType: SetGeometryType; count: number }> {
    const rows = this.db
      .prepare('SELECT image_id, geometry_type, count(*) AS n FROM set_annotations WHERE set_id = ? GROUP BY image_id, geometry_type ORDER BY image_id, geometry_type')
      .all(setId) as Array<{ image_id: number; geometry_type: SetGeometryType; n: number }>;
    return rows.map((r) => ({ imageId: r.image_id, geometryType: r.geometry_type, count: r.n }));
  }

  addImport(i: NewImport): number {
    const info = this.db
      .prepare('INSERT INTO annotation_set_imports (set_id, image_id, actor, source_name, format, units) VALUES (?, ?, ?, ?, ?, ?)')
      .run(i.setId, i.imageId, i.actor, i.sourceName, i.format, i.units);
    return Number(info.lastInsertRowid);
  }

  addEntries(setId: number, imageId: number, importId: number, entries: readonly ParsedAnnotation[]): void {
    const insert = this.db.prepare(
      `INSERT INTO set_annotations (set_id, image_id, import_id, position, geometry_type, geometry, class_name, object_type, feature_id, properties)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    entries.forEach((e, position) => {
      insert.run(setId, imageId, importId, position, e.geometry.type, JSON.stringify(e.geometry), e.className, e.objectType, e.featureId === null ? null : JSON.stringify(e.featureId), JSON.stringify(e.properties));
    });
  }

  /**
   * The images the set speaks for: those it has an import on. An import that brought no marker (a
   * CSV with a header only: the expert looked and found nothing) still counts — the image is
   * annotated, with nothing on it — so per-project figures include it rather than skip it.
   */
  imageIds(setId: number): number[] {
    return (this.db.prepare('SELECT DISTINCT image_id FROM annotation_set_imports WHERE set_id = ? ORDER BY image_id').all(setId) as Array<{ image_id: number }>).map((r) => r.image_id);
  }

  entryCount(setId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM set_annotations WHERE set_id = ?').get(setId) as { n: number }).n;
  }

  importCount(setId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM annotation_set_imports WHERE set_id = ?').get(setId) as { n: number }).n;
  }

  /**
   * Deletes the set, its imports and entries (ON DELETE CASCADE, migration 006), and records the
   * deletion (migration 009); call inside a transaction.
   */
  deleteRecorded(set: AnnotationSetRow, d: { deletedBy: string; entries: number; images: number; cropLabelsKept: number }): void {
    this.db
      .prepare('INSERT INTO annotation_set_deletions (set_id, name, created_by, created_at, deleted_by, entries, images, crop_labels_kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(set.id, set.name, set.created_by, set.created_at, d.deletedBy, d.entries, d.images, d.cropLabelsKept);
    this.db.prepare('DELETE FROM annotation_sets WHERE id = ?').run(set.id);
  }

  /** The set's entries on one image, in import order then file order. */
  entries(setId: number, imageId: number): SetEntry[] {
    const rows = this.db
      .prepare(
        `SELECT a.*, i.actor, i.created_at FROM set_annotations a JOIN annotation_set_imports i ON i.id = a.import_id
         WHERE a.set_id = ? AND a.image_id = ? ORDER BY a.import_id, a.position`,
      )
      .all(setId, imageId) as EntryRow[];
    return rows.map((r) => ({
      id: r.id,
      setId: r.set_id,
      imageId: r.image_id,
      importId: r.import_id,
      position: r.position,
      geometry: parseSetGeometry(JSON.parse(r.geometry)),
      className: r.class_name,
      objectType: r.object_type,
      featureId: r.feature_id === null ? null : (JSON.parse(r.feature_id) as string | number),
      properties: JSON.parse(r.properties) as Record<string, unknown> | null,
      actor: r.actor,
      createdAt: r.created_at,
    }));
  }

  /** The set called `name`, or a 'not-found' error that lists the sets there are. */
  require(name: string): AnnotationSetRow {
    const set = this.find(name);
    if (set) return set;
    const names = this.list().map((s) => s.name);
    throw new DomainError('not-found', `no annotation set named ${JSON.stringify(name)} (${names.length ? `the project has ${names.join(', ')}` : 'the project has none'})`);
  }
}
