// The classes a project labels (e.g. "Axon DAB"), in display order.
import type { Database } from 'better-sqlite3';

export interface ClassRow {
  id: number;
  name: string;
  color: string;
  position: number;
  created_at: string;
}

export class ClassesRepo {
  constructor(private readonly db: Database) {}

  /** Adds a class at the end of the list; names are unique regardless of case. */
  create(name: string, color: string): ClassRow {
    const trimmed = name.trim();
    const info = this.db
      .prepare('INSERT INTO classes (name, color, position) VALUES (?, ?, (SELECT coalesce(max(position), -1) + 1 FROM classes))')
      .run(trimmed, color);
    return this.mustGet(Number(info.lastInsertRowid));
  }

  rename(id: number, name: string): void {
    const info = this.db.prepare('UPDATE classes SET name = ? WHERE id = ?').run(name.trim(), id);
    if (info.changes !== 1) throw new Error(`no class with id ${id}`);
  }

  setColor(id: number, color: string): void {
    const info = this.db.prepare('UPDATE classes SET color = ? WHERE id = ?').run(color, id);
    if (info.changes !== 1) throw new Error(`no class with id ${id}`);
  }

  get(id: number): ClassRow | undefined {
    return this.db.prepare('SELECT * FROM classes WHERE id = ?').get(id) as ClassRow | undefined;
  }

  findByName(name: string): ClassRow | undefined {
    return this.db.prepare('SELECT * FROM classes WHERE name = ?').get(name.trim()) as ClassRow | undefined;
  }

  list(): ClassRow[] {
    return this.db.prepare('SELECT * FROM classes ORDER BY position, id').all() as ClassRow[];
  }

  private mustGet(id: number): ClassRow {
    const row = this.get(id);
    if (!row) throw new Error(`no class with id ${id}`);
    return row;
  }
}
