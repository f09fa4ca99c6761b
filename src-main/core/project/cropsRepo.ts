// Crops (image-level labelling units, level-0 pixels) and their current labels, which the
// decision log maintains (see DecisionsRepo); this repo only reads labels.
import type { Database } from 'better-sqlite3';
import type { LabelValue } from './decisionsRepo';

export interface CropRow {
  id: number;
  image_id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  created_at: string;
}

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelRow {
  crop_id: number;
  class_id: number;
  value: LabelValue;
  decision_id: number;
}

export class CropsRepo {
  constructor(private readonly db: Database) {}

  /** Adds the crops not yet present (same image and rectangle); returns all their ids in order. */
  ensure(imageId: number, rects: readonly CropRect[]): number[] {
    const insert = this.db.prepare(
      'INSERT INTO crops (image_id, x, y, width, height) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const find = this.db.prepare('SELECT id FROM crops WHERE image_id = ? AND x = ? AND y = ? AND width = ? AND height = ?');
    return this.db.transaction(() =>
      rects.map((r) => {
        insert.run(imageId, r.x, r.y, r.width, r.height);
        return (find.get(imageId, r.x, r.y, r.width, r.height) as { id: number }).id;
      }),
    )();
  }

  get(id: number): CropRow | undefined {
    return this.db.prepare('SELECT * FROM crops WHERE id = ?').get(id) as CropRow | undefined;
  }

  listForImage(imageId: number): CropRow[] {
    return this.db.prepare('SELECT * FROM crops WHERE image_id = ? ORDER BY y, x, id').all(imageId) as CropRow[];
  }

  labelsForImage(imageId: number): LabelRow[] {
    return this.db
      .prepare(
        `SELECT l.* FROM labels l JOIN crops c ON c.id = l.crop_id
         WHERE c.image_id = ? ORDER BY l.crop_id, l.class_id`,
      )
      .all(imageId) as LabelRow[];
  }

  /** Current labels of one class across the project (the training set of that class). */
  labelsForClass(classId: number): LabelRow[] {
    return this.db.prepare('SELECT * FROM labels WHERE class_id = ? ORDER BY crop_id').all(classId) as LabelRow[];
  }
}
