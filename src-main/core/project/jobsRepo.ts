// The jobs table: every long computation the app ran, with its progress and outcome, so the
// UI can list them and a restart can tell which ones a crash interrupted.
import type { Database } from 'better-sqlite3';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type FinishedJobStatus = Extract<JobStatus, 'done' | 'failed' | 'cancelled'>;

export interface JobRow {
  id: number;
  kind: string;
  status: JobStatus;
  /** JSON text. */
  params: string;
  image_id: number | null;
  done: number;
  total: number;
  message: string | null;
  error: string | null;
  /** JSON text, when the job finished with a result worth keeping. */
  result: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const INTERRUPTED_JOB_ERROR = 'interrupted: the app or compute process stopped';

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export class JobsRepo {
  constructor(private readonly db: Database) {}

  create(kind: string, params: unknown, imageId: number | null = null): JobRow {
    const info = this.db
      .prepare("INSERT INTO jobs (kind, status, params, image_id) VALUES (?, 'queued', ?, ?)")
      .run(kind, JSON.stringify(params ?? null), imageId);
    return this.mustGet(Number(info.lastInsertRowid));
  }

  markRunning(id: number): JobRow {
    this.updateOne(id, `status = 'running', started_at = ${NOW}`, "status = 'queued'");
    return this.mustGet(id);
  }

  recordProgress(id: number, done: number, total: number, message: string | null): void {
    this.updateOne(id, 'done = ?, total = ?, message = coalesce(?, message)', "status = 'running'", done, total, message);
  }

  /** Ends a queued or running job. `result` is stored as JSON when given. */
  finish(id: number, status: FinishedJobStatus, error: string | null, result?: unknown): JobRow {
    const resultJson = result === undefined ? null : JSON.stringify(result);
    this.updateOne(
      id,
      `status = ?, error = ?, result = ?, finished_at = ${NOW}`,
      "status IN ('queued', 'running')",
      status,
      error,
      resultJson,
    );
    return this.mustGet(id);
  }

  /** Jobs a crash left 'queued' or 'running' can no longer finish: mark them failed. */
  markInterruptedFailed(error = INTERRUPTED_JOB_ERROR): JobRow[] {
    return this.db.transaction(() => {
      const stale = this.db
        .prepare("SELECT id FROM jobs WHERE status IN ('queued', 'running') ORDER BY id")
        .all() as Array<{ id: number }>;
      const mark = this.db.prepare(`UPDATE jobs SET status = 'failed', error = ?, finished_at = ${NOW} WHERE id = ?`);
      for (const { id } of stale) mark.run(error, id);
      return stale.map(({ id }) => this.mustGet(id));
    })();
  }

  get(id: number): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  /** Newest first. */
  list(limit = 200): JobRow[] {
    return this.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[];
  }

  private mustGet(id: number): JobRow {
    const row = this.get(id);
    if (!row) throw new Error(`no job with id ${id}`);
    return row;
  }

  private updateOne(id: number, assignments: string, guard: string, ...values: Array<string | number | null>): void {
    const info = this.db.prepare(`UPDATE jobs SET ${assignments} WHERE id = ? AND ${guard}`).run(...values, id);
    if (info.changes !== 1) {
      const row = this.get(id);
      throw new Error(row ? `job ${id} is ${row.status}; cannot change it so` : `no job with id ${id}`);
    }
  }
}
