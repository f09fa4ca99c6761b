// Cluster batches (`micra batch`): the plans made from this project, the image each task of a
// plan sweeps, and which tasks were collected into which sweep run. A task's row in
// batch_collected is written in the same transaction as its run and suggestions, so collecting
// a job folder twice adds nothing, even after a crash mid-collect.
import type { Migration } from './migration';

const SQL = `
CREATE TABLE batch_plans (
  id TEXT PRIMARY KEY,
  job_dir TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE batch_tasks (
  plan_id TEXT NOT NULL REFERENCES batch_plans (id) ON DELETE CASCADE,
  task_index INTEGER NOT NULL CHECK (task_index >= 0),
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  -- NULL until the task's journal is collected.
  sweep_run_id INTEGER REFERENCES sweep_runs (id) ON DELETE SET NULL,
  journal_sha256 TEXT,
  collected_at TEXT,
  PRIMARY KEY (plan_id, task_index)
);
CREATE INDEX batch_tasks_image ON batch_tasks (image_id);
`;

export const migration007BatchPlans: Migration = {
  version: 7,
  name: 'batch plans',
  up(db) {
    db.exec(SQL);
  },
};
