// Sweep runs and review. A sweep run is one model sweeping one image (possibly over several
// jobs: a crashed or cancelled run is resumed by a new job); sweep_crops records every crop
// the run finished, with its score, so a resume skips them and the viewer can draw a heat map.
// Suggestions learn which run found them (merging across crop borders works within a run).
import type { Migration } from './migration';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

const sql = `
CREATE TABLE sweep_runs (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  model_id INTEGER NOT NULL REFERENCES models (id),
  class_id INTEGER NOT NULL REFERENCES classes (id),
  class_index INTEGER NOT NULL CHECK (class_index >= 0),
  threshold REAL NOT NULL CHECK (threshold >= 0 AND threshold <= 1),
  crop_size INTEGER NOT NULL CHECK (crop_size > 0),
  stride INTEGER NOT NULL CHECK (stride > 0),
  cols INTEGER NOT NULL CHECK (cols > 0),
  rows INTEGER NOT NULL CHECK (rows > 0),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  last_job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  error TEXT,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  finished_at TEXT
) STRICT;
CREATE INDEX sweep_runs_image ON sweep_runs (image_id);

-- score NULL: skipped as background by the cheap uniformity test.
CREATE TABLE sweep_crops (
  run_id INTEGER NOT NULL REFERENCES sweep_runs (id) ON DELETE CASCADE,
  col INTEGER NOT NULL CHECK (col >= 0),
  row INTEGER NOT NULL CHECK (row >= 0),
  score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  PRIMARY KEY (run_id, col, row)
) STRICT;

ALTER TABLE suggestions ADD COLUMN sweep_run_id INTEGER REFERENCES sweep_runs (id) ON DELETE CASCADE;
CREATE INDEX suggestions_sweep_run ON suggestions (sweep_run_id);
`;

export const migration003Review: Migration = {
  version: 3,
  name: 'review',
  up(db) {
    db.exec(sql);
  },
};
