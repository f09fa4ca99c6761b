// Models known to the project, each with its card: parent (what it was fine-tuned from),
// the dataset snapshot it was trained on, and its metrics. Weights live under `dir`.
import type { Database } from 'better-sqlite3';

export type ModelOrigin = 'bundled' | 'trained' | 'imported';
export type ModelStatus = 'training' | 'ready' | 'failed';

export interface NewModel {
  name: string;
  parentId: number | null;
  /** Relative to the project folder, e.g. 'models/3'. */
  dir: string;
  origin: ModelOrigin;
  status: ModelStatus;
  /** Architecture, preprocessing, class names, thresholds: whatever the engine needs. */
  card: unknown;
  datasetSnapshot?: unknown;
}

export interface Model {
  id: number;
  name: string;
  parentId: number | null;
  dir: string;
  origin: ModelOrigin;
  status: ModelStatus;
  card: unknown;
  datasetSnapshot: unknown;
  metrics: unknown;
  createdAt: string;
}

interface ModelDbRow {
  id: number;
  name: string;
  parent_id: number | null;
  dir: string;
  origin: ModelOrigin;
  status: ModelStatus;
  card: string;
  dataset_snapshot: string | null;
  metrics: string | null;
  created_at: string;
}

function parseJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function fromDb(row: ModelDbRow): Model {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    dir: row.dir,
    origin: row.origin,
    status: row.status,
    card: parseJson(row.card),
    datasetSnapshot: parseJson(row.dataset_snapshot),
    metrics: parseJson(row.metrics),
    createdAt: row.created_at,
  };
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export class ModelsRepo {
  constructor(private readonly db: Database) {}

  insert(model: NewModel): Model {
    const info = this.db
      .prepare(
        `INSERT INTO models (name, parent_id, dir, origin, status, card, dataset_snapshot)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        model.name,
        model.parentId,
        model.dir,
        model.origin,
        model.status,
        JSON.stringify(model.card ?? {}),
        toJson(model.datasetSnapshot),
      );
    return this.mustGet(Number(info.lastInsertRowid));
  }

  setStatus(id: number, status: ModelStatus): void {
    this.updateOne(id, 'status = ?', status);
  }

  setMetrics(id: number, metrics: unknown): void {
    this.updateOne(id, 'metrics = ?', toJson(metrics));
  }

  /** The id the next inserted model will get (SQLite's rowid rule: one past the largest). */
  nextId(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM models').get() as { next: number }).next;
  }

  get(id: number): Model | undefined {
    const row = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelDbRow | undefined;
    return row && fromDb(row);
  }

  list(): Model[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY id').all() as ModelDbRow[]).map(fromDb);
  }

  /** A model and its ancestors, itself first. */
  lineage(id: number): Model[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE chain(id, depth) AS (
           SELECT id, 0 FROM models WHERE id = ?
           UNION ALL SELECT m.parent_id, chain.depth + 1 FROM models m JOIN chain ON m.id = chain.id
           WHERE m.parent_id IS NOT NULL)
         SELECT models.* FROM chain JOIN models ON models.id = chain.id ORDER BY chain.depth`,
      )
      .all(id) as ModelDbRow[];
    return rows.map(fromDb);
  }

  private mustGet(id: number): Model {
    const model = this.get(id);
    if (!model) throw new Error(`no model with id ${id}`);
    return model;
  }

  private updateOne(id: number, assignment: string, value: string | null): void {
    const info = this.db.prepare(`UPDATE models SET ${assignment} WHERE id = ?`).run(value, id);
    if (info.changes !== 1) throw new Error(`no model with id ${id}`);
  }
}
