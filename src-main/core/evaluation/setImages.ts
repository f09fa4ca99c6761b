// Which images a set speaks for: those it has an import on. An import that brought no marker (a
// CSV with a header only: the expert looked and found nothing) still counts — the image is
// annotated, with nothing on it — so per-project figures include it rather than skip it.
import type { Database } from 'better-sqlite3';

export function setImageIds(db: Database, setId: number): number[] {
  return (db.prepare('SELECT DISTINCT image_id FROM annotation_set_imports WHERE set_id = ? ORDER BY image_id').all(setId) as Array<{ image_id: number }>).map((r) => r.image_id);
}
