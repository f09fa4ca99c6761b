// Deleted annotation sets (issue 15). Deleting a set removes its entries and imports, but the
// training crops made from its markers stay: their label decisions are in the append-only log,
// a model may have been trained on them, and each decision's payload names its source set
// (`source.set`, `source.setId`). This table records what went, who deleted it and when, and how
// many crop labels made from it were kept — and it keeps a deleted set's id from being given to a
// new set (AnnotationSetsRepo.ensure numbers past it), so that provenance never points at a set
// that is not the one it came from.
import type { Migration } from './migration';

const sql = `
CREATE TABLE annotation_set_deletions (
  set_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted_by TEXT NOT NULL,
  deleted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  entries INTEGER NOT NULL CHECK (entries >= 0),
  images INTEGER NOT NULL CHECK (images >= 0),
  crop_labels_kept INTEGER NOT NULL CHECK (crop_labels_kept >= 0)
) STRICT;
`;

export const migration009AnnotationSetDeletions: Migration = {
  version: 9,
  name: 'annotation set deletions',
  up(db) {
    db.exec(sql);
  },
};
