// Training: which split each image belongs to when the user overrides the seeded assignment,
// one row per training run (its job, parameters, and the outcome), and the per-epoch history
// the training panel plots.
import type { Migration } from './migration';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

const sql = `
-- Images without a row here get a split from the seeded hash of their id (see datasetSplits.ts).
CREATE TABLE image_splits (
  image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test'))
) STRICT;

-- A training run produces one model; resuming the run starts new jobs for the same model.
CREATE TABLE training_runs (
  model_id INTEGER PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
  job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  params TEXT NOT NULL CHECK (json_valid(params)),
  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('completed', 'stopped-early', 'cancelled', 'failed', 'interrupted')),
  error TEXT,
  started_at TEXT NOT NULL DEFAULT ${NOW},
  finished_at TEXT
) STRICT;

CREATE TABLE training_epochs (
  model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL CHECK (epoch >= 1),
  train_loss REAL NOT NULL,
  train_accuracy REAL NOT NULL,
  val_loss REAL,
  val_accuracy REAL,
  learning_rate REAL NOT NULL,
  seconds REAL NOT NULL,
  best INTEGER NOT NULL CHECK (best IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT ${NOW},
  PRIMARY KEY (model_id, epoch)
) STRICT;
`;

export const migration004Training: Migration = {
  version: 4,
  name: 'training',
  up(db) {
    db.exec(sql);
  },
};
