// Opens a project folder: its SQLite database (WAL, foreign keys, migrated to the current
// schema) and one repository per table family. Main holds the single writer connection.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { ImageSummary } from '../../api/types';
import { AnnotationSetsRepo } from './annotationSetsRepo';
import { AnnotationsRepo } from './annotationsRepo';
import { BatchRepo } from './batchRepo';
import { ClassesRepo } from './classesRepo';
import { assertNoLinkOut } from './confinedPath';
import { CropsRepo } from './cropsRepo';
import { DecisionsRepo } from './decisionsRepo';
import { ImagesRepo, type ImageRow } from './imagesRepo';
import { toImageSummary } from './imageSummary';
import { JobsRepo } from './jobsRepo';
import { migrate, NotAProjectError, ProjectVersionError, schemaVersion } from './migrate';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import { ModelsRepo } from './modelsRepo';
import { MODELS_DIR, projectDbPath, PROJECT_DB_FILE, resolveStoredPathOrNull, SOURCES_DIR, TILES_DIR } from './projectLayout';
import { SettingsRepo } from './settingsRepo';
import { SuggestionsRepo } from './suggestionsRepo';
import { SweepRunsRepo } from './sweepRunsRepo';
import { TrainingRepo } from './trainingRepo';
import { resolveUserPath } from './userPath';

export interface ProjectStore {
  /** Absolute path of the project folder. */
  readonly dir: string;
  readonly schemaVersion: number;
  /**
   * The connection itself: for the repositories of this folder and for tests that look at rows.
   * The rest of main calls a repository below (eslint refuses `.db` outside core/project/).
   */
  readonly db: Db;
  readonly images: ImagesRepo;
  readonly classes: ClassesRepo;
  readonly crops: CropsRepo;
  readonly suggestions: SuggestionsRepo;
  readonly annotations: AnnotationsRepo;
  readonly decisions: DecisionsRepo;
  readonly models: ModelsRepo;
  readonly jobs: JobsRepo;
  readonly settings: SettingsRepo;
  readonly sweepRuns: SweepRunsRepo;
  readonly annotationSets: AnnotationSetsRepo;
  readonly training: TrainingRepo;
  readonly batches: BatchRepo;
  /** False once closed (work that outlives the project, e.g. an import's cleanup, checks it). */
  isOpen(): boolean;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  /** An images row as the API shows it, with sourceMissing checked on disk. */
  imageSummary(row: ImageRow): ImageSummary;
  close(): void;
}

export interface OpenProjectOptions {
  /** Create the folder and database when missing; otherwise a missing project is an error. */
  create: boolean;
}

export { NotAProjectError, ProjectVersionError } from './migrate';

export function openProjectStore(dir: string, opts: OpenProjectOptions): ProjectStore {
  const absDir = resolveUserPath(dir);
  const dbFile = projectDbPath(absDir);
  if (!opts.create && !fs.existsSync(dbFile)) {
    throw new NotAProjectError(
      fs.existsSync(absDir)
        ? `${absDir} is not a Micra project (it has no ${PROJECT_DB_FILE})`
        : `${absDir} is not a Micra project (the folder does not exist)`,
    );
  }
  if (opts.create) {
    for (const sub of [TILES_DIR, SOURCES_DIR, MODELS_DIR]) fs.mkdirSync(path.join(absDir, sub), { recursive: true });
  }
  // Before anything is opened, written or cleaned up in it (the folder may come from elsewhere).
  assertNoLinkOut(absDir);

  const db = new Database(dbFile, { fileMustExist: !opts.create });
  try {
    db.pragma('busy_timeout = 5000');
    // Refuse a foreign or newer file before any pragma below writes to it.
    assertOpenable(db);
    const found = schemaVersion(db);
    if (found > LATEST_SCHEMA_VERSION) throw new ProjectVersionError(found, LATEST_SCHEMA_VERSION);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const version = migrate(db, migrations);
    return makeStore(absDir, db, version);
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Refuses a file that is not a SQLite database before any pragma writes to it. */
function assertOpenable(db: Db): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    throw new NotAProjectError(`${PROJECT_DB_FILE} is not a readable SQLite database: ${(err as Error).message}`);
  }
}

function makeStore(dir: string, db: Db, schemaVersion: number): ProjectStore {
  let closed = false;
  return {
    dir,
    schemaVersion,
    db,
    images: new ImagesRepo(db),
    classes: new ClassesRepo(db),
    crops: new CropsRepo(db),
    suggestions: new SuggestionsRepo(db),
    annotations: new AnnotationsRepo(db),
    decisions: new DecisionsRepo(db),
    models: new ModelsRepo(db),
    jobs: new JobsRepo(db),
    settings: new SettingsRepo(db),
    sweepRuns: new SweepRunsRepo(db),
    annotationSets: new AnnotationSetsRepo(db),
    training: new TrainingRepo(db),
    batches: new BatchRepo(db),
    isOpen: () => db.open,
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    imageSummary: (row) => {
      // A source path that leads out of the project is never looked at: it shows as missing.
      const source = resolveStoredPathOrNull(dir, row.source_path);
      return toImageSummary(row, source === null || !fs.existsSync(source));
    },
    close() {
      if (closed) return;
      closed = true;
      // Fold the WAL back so the folder is a single self-contained file when copied.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
