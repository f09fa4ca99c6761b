// The initial schema. Decisions are an append-only log (triggers refuse UPDATE and DELETE);
// review state is derived from it. Other tables hold things that have an identity of their
// own (images, crops, suggestions, models, jobs) or a projection of the log kept in step with
// it inside the same transaction (labels).
import type { Migration } from './migration';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  bits_per_sample INTEGER NOT NULL CHECK (bits_per_sample IN (8, 16)),
  channels INTEGER NOT NULL CHECK (channels IN (1, 3)),
  tile_size INTEGER NOT NULL CHECK (tile_size > 0),
  levels INTEGER NOT NULL CHECK (levels >= 1),
  pixel_size_nm REAL CHECK (pixel_size_nm IS NULL OR pixel_size_nm > 0),
  status TEXT NOT NULL DEFAULT 'importing' CHECK (status IN ('importing', 'ready', 'failed')),
  source_path TEXT NOT NULL,
  content_hash TEXT,
  notice TEXT,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  updated_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;
CREATE INDEX images_content_hash ON images (content_hash);

CREATE TABLE classes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
  color TEXT NOT NULL,
  position INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;

-- A model: weights live in dir (relative, e.g. models/3); the card says how it was made.
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES models (id),
  dir TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL CHECK (origin IN ('bundled', 'trained', 'imported')),
  status TEXT NOT NULL CHECK (status IN ('training', 'ready', 'failed')),
  card TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(card)),
  dataset_snapshot TEXT CHECK (dataset_snapshot IS NULL OR json_valid(dataset_snapshot)),
  metrics TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
  created_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  params TEXT NOT NULL CHECK (json_valid(params)),
  image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,
  done REAL NOT NULL DEFAULT 0 CHECK (done >= 0),
  total REAL NOT NULL DEFAULT 0 CHECK (total >= 0),
  message TEXT,
  error TEXT,
  result TEXT CHECK (result IS NULL OR json_valid(result)),
  created_at TEXT NOT NULL DEFAULT ${NOW},
  started_at TEXT,
  finished_at TEXT
) STRICT;
CREATE INDEX jobs_status ON jobs (status);

-- Image-level labelling units, in level-0 pixels.
CREATE TABLE crops (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  x INTEGER NOT NULL CHECK (x >= 0),
  y INTEGER NOT NULL CHECK (y >= 0),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  created_at TEXT NOT NULL DEFAULT ${NOW},
  UNIQUE (image_id, x, y, width, height)
) STRICT;

-- What a sweep proposed: box in level-0 pixels, score, optional mask over the box.
CREATE TABLE suggestions (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL REFERENCES classes (id),
  model_id INTEGER NOT NULL REFERENCES models (id),
  run_job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  x INTEGER NOT NULL CHECK (x >= 0),
  y INTEGER NOT NULL CHECK (y >= 0),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
  mask BLOB,
  mask_width INTEGER,
  mask_height INTEGER,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  CHECK ((mask IS NULL) = (mask_width IS NULL) AND (mask IS NULL) = (mask_height IS NULL))
) STRICT;
CREATE INDEX suggestions_image ON suggestions (image_id, class_id);
CREATE INDEX suggestions_run ON suggestions (run_job_id);

-- Identity of a hand-drawn annotation; its geometry is the payload of its decisions.
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL REFERENCES classes (id),
  shape TEXT NOT NULL CHECK (shape IN ('point', 'box', 'polygon')),
  created_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;
CREATE INDEX annotations_image ON annotations (image_id);

-- The append-only decision log: who decided what, when, on which target, on which model's
-- suggestion; an undo is a decision naming the one it reverts (an undo of an undo is a redo).
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  actor TEXT NOT NULL,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('crop', 'suggestion', 'annotation', 'image')),
  target_id INTEGER NOT NULL,
  class_id INTEGER REFERENCES classes (id),
  action TEXT NOT NULL CHECK (length(action) > 0),
  payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  model_id INTEGER REFERENCES models (id),
  undo_of INTEGER REFERENCES decisions (id),
  CHECK ((action = 'undo') = (undo_of IS NOT NULL))
) STRICT;
CREATE INDEX decisions_target ON decisions (target_kind, target_id, class_id);
CREATE INDEX decisions_undo_of ON decisions (undo_of);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: UPDATE refused'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: DELETE refused'); END;

-- Current image-level label of a crop for a class: a projection of the decision log, rewritten
-- in the same transaction as every decision that touches it.
CREATE TABLE labels (
  crop_id INTEGER NOT NULL REFERENCES crops (id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
  value TEXT NOT NULL CHECK (value IN ('present', 'absent', 'skip')),
  decision_id INTEGER NOT NULL REFERENCES decisions (id),
  PRIMARY KEY (crop_id, class_id)
) STRICT;
`;

export const migration001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(sql);
  },
};
