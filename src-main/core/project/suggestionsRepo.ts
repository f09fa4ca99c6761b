// Suggestions a sweep produced: box (level-0 pixels), score, model, run; masks come later.
// Whether one was accepted or declined lives in the decision log, not here.
import type { Database, Statement } from 'better-sqlite3';

export interface NewSuggestion {
  imageId: number;
  classId: number;
  modelId: number;
  runJobId: number | null;
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface SuggestionRow {
  id: number;
  image_id: number;
  class_id: number;
  model_id: number;
  run_job_id: number | null;
  /** The sweep run that found it (null for suggestions of older jobs). */
  sweep_run_id: number | null;
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  mask: Buffer | null;
  mask_width: number | null;
  mask_height: number | null;
  created_at: string;
}

export class SuggestionsRepo {
  /** Prepared once: a sweep's ingestion looks up every suggestion it merges into. */
  private getStatement: Statement<[number], SuggestionRow> | null = null;

  constructor(private readonly db: Database) {}

  /** Inserts a batch (e.g. one swept tile's worth) in one transaction; returns the ids. */
  insertMany(suggestions: readonly NewSuggestion[]): number[] {
    const insert = this.db.prepare(
      `INSERT INTO suggestions (image_id, class_id, model_id, run_job_id, x, y, width, height, score)
       VALUES (@imageId, @classId, @modelId, @runJobId, @x, @y, @width, @height, @score)`,
    );
    return this.db.transaction(() => suggestions.map((s) => Number(insert.run(s).lastInsertRowid)))();
  }

  /** Stores the mask over the suggestion's box: maskWidth × maskHeight bytes, row-major. */
  setMask(id: number, mask: Uint8Array, maskWidth: number, maskHeight: number): void {
    if (mask.length !== maskWidth * maskHeight) throw new Error('mask size does not match its dimensions');
    const info = this.db
      .prepare('UPDATE suggestions SET mask = ?, mask_width = ?, mask_height = ? WHERE id = ?')
      .run(Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength), maskWidth, maskHeight, id);
    if (info.changes !== 1) throw new Error(`no suggestion with id ${id}`);
  }

  get(id: number): SuggestionRow | undefined {
    this.getStatement ??= this.db.prepare<[number], SuggestionRow>('SELECT * FROM suggestions WHERE id = ?');
    return this.getStatement.get(id);
  }

  /** The image's suggestions, best first; only those of sweep run `runId` when given. */
  listForReview(imageId: number, runId?: number): SuggestionRow[] {
    if (runId !== undefined) {
      return this.db.prepare('SELECT * FROM suggestions WHERE image_id = ? AND sweep_run_id = ? ORDER BY score DESC, id').all(imageId, runId) as SuggestionRow[];
    }
    return this.listForImage(imageId);
  }

  /** The boxes (level-0 pixels) and scores sweep run `runId` found, in the order it stored them. */
  scoredBoxesOfRun(runId: number): Array<{ x: number; y: number; width: number; height: number; score: number }> {
    return this.db.prepare('SELECT x, y, width, height, score FROM suggestions WHERE sweep_run_id = ? ORDER BY id').all(runId) as Array<{ x: number; y: number; width: number; height: number; score: number }>;
  }

  /** How many suggestions sweep run `runId` has now. */
  countForSweepRun(runId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM suggestions WHERE sweep_run_id = ?').get(runId) as { n: number }).n;
  }

  /** Best first. */
  listForImage(imageId: number, classId?: number): SuggestionRow[] {
    if (classId === undefined) {
      return this.db
        .prepare('SELECT * FROM suggestions WHERE image_id = ? ORDER BY score DESC, id')
        .all(imageId) as SuggestionRow[];
    }
    return this.db
      .prepare('SELECT * FROM suggestions WHERE image_id = ? AND class_id = ? ORDER BY score DESC, id')
      .all(imageId, classId) as SuggestionRow[];
  }

  listForRun(runJobId: number): SuggestionRow[] {
    return this.db.prepare('SELECT * FROM suggestions WHERE run_job_id = ? ORDER BY id').all(runJobId) as SuggestionRow[];
  }
}
