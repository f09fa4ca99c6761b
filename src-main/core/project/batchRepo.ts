// The project's record of batch plans (migration 007): which plans were made here, the image
// of each task, and which tasks were collected into which sweep run.
import type { BatchPlan } from '../batch/batchPlan';
import type { Database } from 'better-sqlite3';

export interface BatchTaskRow {
  plan_id: string;
  task_index: number;
  image_id: number;
  sweep_run_id: number | null;
  journal_sha256: string | null;
  collected_at: string | null;
}

export class BatchRepo {
  constructor(private readonly db: Database) {}

  recordPlan(plan: BatchPlan, jobDir: string): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare('INSERT INTO batch_plans (id, job_dir) VALUES (?, ?)').run(plan.id, jobDir);
      const task = db.prepare('INSERT INTO batch_tasks (plan_id, task_index, image_id) VALUES (?, ?, ?)');
      for (const img of plan.images) task.run(plan.id, img.index, img.imageId);
    })();
  }

  tasks(planId: string): BatchTaskRow[] {
    return this.db.prepare('SELECT * FROM batch_tasks WHERE plan_id = ? ORDER BY task_index').all(planId) as BatchTaskRow[];
  }

  /** Each image's task of the newest plan that holds it (the image list and overview show it). */
  latestTaskPerImage(): Map<number, BatchTaskRow & { job_dir: string; created_at: string }> {
    const rows = this.db
      .prepare(
        `SELECT t.*, p.job_dir, p.created_at FROM batch_tasks t JOIN batch_plans p ON p.id = t.plan_id
         ORDER BY p.created_at, p.rowid`,
      )
      .all() as Array<BatchTaskRow & { job_dir: string; created_at: string }>;
    // Later plans come later: the last row per image wins.
    return new Map(rows.map((r) => [r.image_id, r]));
  }

  /** Marks a task collected; call inside the transaction that stores its run. */
  markCollected(planId: string, index: number, runId: number, journalSha256: string): void {
    this.db
      .prepare("UPDATE batch_tasks SET sweep_run_id = ?, journal_sha256 = ?, collected_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE plan_id = ? AND task_index = ?")
      .run(runId, journalSha256, planId, index);
  }
}
