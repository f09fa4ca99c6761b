// Brings a project database up to the schema this code knows, one migration per transaction,
// recording the version in PRAGMA user_version.
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration';

/** 'MICR' — marks a SQLite file as a Micra Studio project, so foreign databases are refused. */
export const MICRA_APPLICATION_ID = 0x4d494352;

export class ProjectVersionError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `project.sqlite has schema version ${found}, newer than this version of Micra Studio supports (${supported}); ` +
        'open it with a newer Micra Studio',
    );
    this.name = 'ProjectVersionError';
  }
}

export class NotAProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAProjectError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses databases from a newer app or from another application; runs the missing steps. */
export function migrate(db: Database, all: readonly Migration[]): number {
  const ordered = [...all].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) throw new ProjectVersionError(current, latest);
  const appId = db.pragma('application_id', { simple: true }) as number;
  const foreign =
    current > 0
      ? appId !== MICRA_APPLICATION_ID
      : (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n > 0;
  if (foreign) {
    throw new NotAProjectError('project.sqlite is a SQLite database of another application, not a Micra project');
  }
  for (const m of ordered) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      db.pragma(`application_id = ${MICRA_APPLICATION_ID}`);
    })();
  }
  return schemaVersion(db);
}
