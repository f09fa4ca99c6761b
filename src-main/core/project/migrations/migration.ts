import type { Database } from 'better-sqlite3';

/**
 * One step of the schema. `version` is the value PRAGMA user_version holds once `up` has run;
 * each migration runs inside its own transaction together with that version bump.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
