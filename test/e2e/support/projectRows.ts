// Reads rows of a served project's database, read-only, the way e2e tests check what the app
// stored (the server keeps its own connection open; a read-only one beside it sees committed rows).
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function projectRows<T>(projectDir: string, sql: string, ...args: unknown[]): T[] {
  const d = new Database(join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}
