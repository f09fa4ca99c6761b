// Annotation sets: named layers of annotations brought in from other tools (an expert's marker
// CSV, QuPath GeoJSON, our own export), kept apart from the review's decision log and from each
// other. Each import is one row (who, when, which file, which units) and every annotation it
// brought names it, so "who and when" is known per annotation. Geometry is GeoJSON in level-0
// image pixels, stored as read (with its feature id and properties) so an export gives back
// what came in.
import type { Migration } from './migration';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

const sql = `
CREATE TABLE annotation_sets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;

CREATE TABLE annotation_set_imports (
  id INTEGER PRIMARY KEY,
  set_id INTEGER NOT NULL REFERENCES annotation_sets (id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  actor TEXT NOT NULL,
  source_name TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'geojson')),
  units TEXT NOT NULL CHECK (units IN ('px', 'um')),
  created_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;

-- position: order within its file, so an export keeps the file's order.
CREATE TABLE set_annotations (
  id INTEGER PRIMARY KEY,
  set_id INTEGER NOT NULL REFERENCES annotation_sets (id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  import_id INTEGER NOT NULL REFERENCES annotation_set_imports (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 0),
  geometry_type TEXT NOT NULL CHECK (geometry_type IN ('Point', 'MultiPoint', 'LineString', 'Polygon', 'MultiPolygon')),
  geometry TEXT NOT NULL CHECK (json_valid(geometry)),
  class_name TEXT,
  object_type TEXT,
  feature_id TEXT CHECK (feature_id IS NULL OR json_valid(feature_id)),
  properties TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(properties))
) STRICT;
CREATE INDEX set_annotations_set_image ON set_annotations (set_id, image_id, import_id, position);
`;

export const migration006AnnotationSets: Migration = {
  version: 6,
  name: 'annotation sets',
  up(db) {
    db.exec(sql);
  },
};
