// Sweep runs, the crops each run finished (resume, heat map) and the suggestions a run stores.
// Main is the only writer: the compute process reports crops, main records them here.
import type { Database } from 'better-sqlite3';
import type { MaskMethod } from '../ml/sweep/maskMethod';

export type SweepRunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SweepRunRow {
  id: number;
  image_id: number;
  model_id: number;
  class_id: number;
  class_index: number;
  threshold: number;
  crop_size: number;
  stride: number;
  cols: number;
  rows: number;
  mask_method: MaskMethod;
  /** 1 when the run screened its crops with the model's screen first (migration 008). */
  screen: 0 | 1;
  /** Why the run could not use its model's screen (migration 010); null when it could. */
  screen_notice: string | null;
  /** JSON array of { kind, message } (untrusted: parse before use). */
  warnings: string;
  status: SweepRunStatus;
  last_job_id: number | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface NewSweepRun {
  imageId: number;
  modelId: number;
  classId: number;
  classIndex: number;
  threshold: number;
  cropSize: number;
  stride: number;
  cols: number;
  rows: number;
  /** Default 'object'. */
  maskMethod?: MaskMethod | undefined;
  /** Whether the run screens its crops first (default false). */
  screen?: boolean | undefined;
}

export interface SweepCropRow {
  col: number;
  row: number;
  /** null: skipped as background. */
  score: number | null;
}

/** A region to store as a suggestion: box in level-0 pixels, mask over the box (0/1 bytes, row-major). */
export interface StoredRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  mask: Uint8Array;
}

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export class SweepRunsRepo {
  constructor(private readonly db: Database) {}

  create(run: NewSweepRun): SweepRunRow {
    const info = this.db
      .prepare(
        `INSERT INTO sweep_runs (image_id, model_id, class_id, class_index, threshold, crop_size, stride, cols, rows, mask_method, screen, status)
         VALUES (@imageId, @modelId, @classId, @classIndex, @threshold, @cropSize, @stride, @cols, @rows, @maskMethod, @screen, 'queued')`,
      )
      .run({ ...run, maskMethod: run.maskMethod ?? 'object', screen: run.screen ? 1 : 0 });
    return this.mustGet(Number(info.lastInsertRowid));
  }

  get(id: number): SweepRunRow | undefined {
    return this.db.prepare('SELECT * FROM sweep_runs WHERE id = ?').get(id) as SweepRunRow | undefined;
  }

  mustGet(id: number): SweepRunRow {
    const row = this.get(id);
    if (!row) throw new Error(`no sweep run ${id}`);
    return row;
  }

  /** Newest first. */
  /** The image's newest finished ('done') run. */
  latestDone(imageId: number): SweepRunRow | undefined {
    return this.db.prepare("SELECT * FROM sweep_runs WHERE image_id = ? AND status = 'done' ORDER BY id DESC LIMIT 1").get(imageId) as SweepRunRow | undefined;
  }

  /** The model of the project's newest run, whatever its state; null before the first sweep. */
  latestModelId(): number | null {
    const row = this.db.prepare('SELECT model_id FROM sweep_runs ORDER BY id DESC LIMIT 1').get() as { model_id: number } | undefined;
    return row?.model_id ?? null;
  }

  listForImage(imageId: number): SweepRunRow[] {
    return this.db.prepare('SELECT * FROM sweep_runs WHERE image_id = ? ORDER BY id DESC').all(imageId) as SweepRunRow[];
  }

  listByStatus(statuses: readonly SweepRunStatus[]): SweepRunRow[] {
    const marks = statuses.map(() => '?').join(', ');
    return this.db.prepare(`SELECT * FROM sweep_runs WHERE status IN (${marks}) ORDER BY id`).all(...statuses) as SweepRunRow[];
  }

  /** Back to the queue, as a resumed run: its error and end cleared. */
  requeue(id: number): void {
    this.db.prepare("UPDATE sweep_runs SET status = 'queued', error = NULL, finished_at = NULL WHERE id = ?").run(id);
  }

  markRunning(id: number, jobId: number): void {
    this.db.prepare("UPDATE sweep_runs SET status = 'running', last_job_id = ?, error = NULL, finished_at = NULL WHERE id = ?").run(jobId, id);
  }

  /**
   * The run's screen could not be used: the notice says why. A run that had screened none of its
   * crops yet did not use it at all (screen 0); one resumed after screening some keeps 1.
   */
  setScreenUnusable(id: number, notice: string, screenedSome: boolean): void {
    this.db.prepare('UPDATE sweep_runs SET screen_notice = ?, screen = CASE WHEN ? THEN screen ELSE 0 END WHERE id = ?').run(notice, screenedSome ? 1 : 0, id);
  }

  setWarnings(id: number, warnings: readonly { kind: string; message: string }[]): void {
    this.db.prepare('UPDATE sweep_runs SET warnings = ? WHERE id = ?').run(JSON.stringify(warnings), id);
  }

  /** Crops scored so far (background skipped) and those at or above the run's threshold. */
  scoredCounts(id: number): { scored: number; positives: number } {
    return this.db
      .prepare(
        `SELECT count(c.score) AS scored, coalesce(sum(c.score >= r.threshold), 0) AS positives
         FROM sweep_crops c JOIN sweep_runs r ON r.id = c.run_id WHERE c.run_id = ?`,
      )
      .get(id) as { scored: number; positives: number };
  }

  finish(id: number, status: Exclude<SweepRunStatus, 'queued' | 'running'>, error: string | null): void {
    this.db.prepare(`UPDATE sweep_runs SET status = ?, error = ?, finished_at = ${NOW} WHERE id = ?`).run(status, error, id);
  }

  /** Records a finished crop; false when the run already had it (ingesting is idempotent). */
  recordCrop(runId: number, crop: SweepCropRow): boolean {
    const info = this.db
      .prepare('INSERT INTO sweep_crops (run_id, col, row, score) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(runId, crop.col, crop.row, crop.score);
    return info.changes === 1;
  }

  crops(runId: number): SweepCropRow[] {
    return this.db.prepare('SELECT col, row, score FROM sweep_crops WHERE run_id = ? ORDER BY row, col').all(runId) as SweepCropRow[];
  }

  cropCount(runId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sweep_crops WHERE run_id = ?').get(runId) as { n: number }).n;
  }

  insertSuggestion(run: SweepRunRow, jobId: number | null, region: StoredRegion): number {
    const info = this.db
      .prepare(
        `INSERT INTO suggestions (image_id, class_id, model_id, run_job_id, sweep_run_id, x, y, width, height, score, mask, mask_width, mask_height)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.image_id,
        run.class_id,
        run.model_id,
        jobId,
        run.id,
        region.x,
        region.y,
        region.width,
        region.height,
        region.score,
        maskBlob(region.mask),
        region.width,
        region.height,
      );
    return Number(info.lastInsertRowid);
  }

  updateSuggestion(id: number, region: StoredRegion): void {
    this.db
      .prepare('UPDATE suggestions SET x = ?, y = ?, width = ?, height = ?, score = ?, mask = ?, mask_width = ?, mask_height = ? WHERE id = ?')
      .run(region.x, region.y, region.width, region.height, region.score, maskBlob(region.mask), region.width, region.height, id);
  }

  deleteSuggestion(id: number): void {
    this.db.prepare('DELETE FROM suggestions WHERE id = ?').run(id);
  }

  /** Ids of the run's suggestions whose box, grown by `margin`, meets the given box. */
  suggestionIdsNear(runId: number, box: { x: number; y: number; width: number; height: number }, margin: number): number[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM suggestions WHERE sweep_run_id = ?
           AND x - ? < ? AND x + width + ? > ? AND y - ? < ? AND y + height + ? > ? ORDER BY id`,
      )
      .all(runId, margin, box.x + box.width, margin, box.x, margin, box.y + box.height, margin, box.y) as Array<{ id: number }>;
    return rows.map((r) => r.id);
  }

  /** Whether any decision names the suggestion (such a suggestion is never merged away). */
  hasDecisions(suggestionId: number): boolean {
    return this.db.prepare("SELECT 1 FROM decisions WHERE target_kind = 'suggestion' AND target_id = ? LIMIT 1").get(suggestionId) !== undefined;
  }
}

function maskBlob(mask: Uint8Array): Buffer {
  return Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength);
}
