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

/** A current label with its crop's rectangle and image. */
export interface LabelledCropRow extends CropRect {
  crop_id: number;
  image_id: number;
  class_id: number;
  value: LabelValue;
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

  /** Current labels of the project's ready images, with their crops (a training set's rows), by crop then class. */
  labelledCropsOfReadyImages(): LabelledCropRow[] {
    return this.db
      .prepare(
        `SELECT c.id AS crop_id, c.image_id, c.x, c.y, c.width, c.height, l.class_id, l.value
         FROM labels l JOIN crops c ON c.id = l.crop_id JOIN images i ON i.id = c.image_id
         WHERE i.status = 'ready' ORDER BY c.id, l.class_id`,
      )
      .all() as LabelledCropRow[];
  }

  /** How many current labels each class has of each value. */
  labelValueCounts(): Array<{ class_id: number; value: LabelValue; n: number }> {
    return this.db.prepare('SELECT class_id, value, count(*) AS n FROM labels GROUP BY class_id, value').all() as Array<{ class_id: number; value: LabelValue; n: number }>;
  }

  /** Top-left corner and width of the image's crops that carry a current label of the class. */
  labelledCropCorners(imageId: number, classId: number): Array<{ x: number; y: number; width: number }> {
    return this.db
      .prepare('SELECT c.x, c.y, c.width FROM labels l JOIN crops c ON c.id = l.crop_id WHERE c.image_id = ? AND l.class_id = ?')
      .all(imageId, classId) as Array<{ x: number; y: number; width: number }>;
  }

  /**
   * The markers (annotation id and marker index) of annotation set `setId` whose crop label of the
   * class on the image is in effect: those a marker-crop run made from that set already.
   */
  setMarkersLabelled(imageId: number, classId: number, setId: number): Array<{ annotationId: number; marker: number }> {
    return this.db
      .prepare(
        `SELECT json_extract(d.payload, '$.source.annotationId') AS annotationId, json_extract(d.payload, '$.source.marker') AS marker
         FROM labels l JOIN decisions d ON d.id = l.decision_id JOIN crops c ON c.id = l.crop_id
         WHERE c.image_id = ? AND l.class_id = ? AND json_extract(d.payload, '$.source.setId') = ? AND json_extract(d.payload, '$.source.annotationId') IS NOT NULL`,
      )
      .all(imageId, classId, setId) as Array<{ annotationId: number; marker: number }>;
  }

  /** Crop labels in effect whose decision names annotation set `setId` as their source. */
  labelsFromSetCount(setId: number): number {
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM labels l JOIN decisions d ON d.id = l.decision_id
         WHERE json_extract(d.payload, '$.source.kind') = 'annotation-set' AND json_extract(d.payload, '$.source.setId') = ?`,
      )
      .get(setId) as { n: number };
    return row.n;
  }
}
