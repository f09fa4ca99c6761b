import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../../src-main/core/project/migrations';
import {
  NotAProjectError,
  openProjectStore,
  ProjectVersionError,
  type ProjectStore,
} from '../../../src-main/core/project/projectStore';
import { makeTempDir, removeDir } from './tempProject';

const TABLES = [
  'annotation_set_deletions', 'annotation_set_imports', 'annotation_sets', 'annotations', 'batch_plans', 'batch_tasks', 'classes', 'crops', 'decisions', 'image_splits', 'images', 'jobs', 'labels', 'models',
  'set_annotations', 'settings', 'suggestions', 'sweep_crops', 'sweep_runs', 'training_epochs', 'training_runs',
];

describe('project store migrations', () => {
  let dir: string;
  let store: ProjectStore | undefined;

  beforeEach(() => {
    dir = path.join(makeTempDir(), 'proj');
  });
  afterEach(() => {
    store?.close();
    store = undefined;
    removeDir(path.dirname(dir));
  });

  it('creates a fresh project with every table, the schema version, WAL and foreign keys', () => {
    store = openProjectStore(dir, { create: true });
    const tables = (store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    expect(tables).toEqual(TABLES);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    for (const sub of ['tiles', 'sources', 'models']) expect(fs.statSync(path.join(dir, sub)).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(dir, 'project.sqlite'))).toBe(true);
  });

  it('enforces foreign keys', () => {
    store = openProjectStore(dir, { create: true });
    const s = store;
    expect(() => s.db.prepare('INSERT INTO crops (image_id, x, y, width, height) VALUES (999, 0, 0, 10, 10)').run()).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('keeps decisions append-only: UPDATE and DELETE raise', () => {
    store = openProjectStore(dir, { create: true });
    const s = store;
    s.db.prepare("INSERT INTO decisions (actor, target_kind, target_id, action) VALUES ('me', 'image', 1, 'note')").run();
    expect(() => s.db.prepare("UPDATE decisions SET actor = 'other'").run()).toThrow(/append-only: UPDATE refused/);
    expect(() => s.db.prepare('DELETE FROM decisions').run()).toThrow(/append-only: DELETE refused/);
    expect(s.db.prepare('SELECT actor FROM decisions').all()).toEqual([{ actor: 'me' }]);
  });

  it('reopens idempotently, keeping data and version', () => {
    store = openProjectStore(dir, { create: true });
    store.classes.create('Axon DAB', '#ff0000');
    store.close();
    store = openProjectStore(dir, { create: false });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.classes.list().map((c) => c.name)).toEqual(['Axon DAB']);
    store.close();
    store = openProjectStore(dir, { create: true });
    expect(store.classes.list()).toHaveLength(1);
  });

  it('refuses a database whose schema version is newer than the code, without touching it', () => {
    store = openProjectStore(dir, { create: true });
    store.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    store.close();
    store = undefined;
    expect(() => openProjectStore(dir, { create: false })).toThrow(ProjectVersionError);
    expect(() => openProjectStore(dir, { create: false })).toThrow(/newer than this version of Micra Studio supports/);
    const raw = new Database(path.join(dir, 'project.sqlite'), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    raw.close();
  });

  it('says clearly when the folder is not a project', () => {
    expect(() => openProjectStore(dir, { create: false })).toThrow(/not a Micra project \(the folder does not exist\)/);
    fs.mkdirSync(dir, { recursive: true });
    expect(() => openProjectStore(dir, { create: false })).toThrow(NotAProjectError);
    expect(() => openProjectStore(dir, { create: false })).toThrow(/has no project\.sqlite/);
    expect(fs.existsSync(path.join(dir, 'project.sqlite'))).toBe(false);
  });

  it('refuses a project.sqlite that belongs to another application or is not SQLite', () => {
    fs.mkdirSync(dir, { recursive: true });
    const foreign = new Database(path.join(dir, 'project.sqlite'));
    foreign.exec('CREATE TABLE things (id INTEGER)');
    foreign.close();
    expect(() => openProjectStore(dir, { create: true })).toThrow(/another application/);
    fs.writeFileSync(path.join(dir, 'project.sqlite'), 'this is not a database at all, just some text '.repeat(40));
    expect(() => openProjectStore(dir, { create: false })).toThrow(/not a readable SQLite database/);
  });

  it('applies each migration in one transaction: a failing step leaves version and tables untouched', async () => {
    const { migrate } = await import('../../../src-main/core/project/migrate');
    fs.mkdirSync(dir, { recursive: true });
    const db = new Database(path.join(dir, 'project.sqlite'));
    const broken = [
      {
        version: 1,
        name: 'half',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE first_half (id INTEGER)');
          d.exec('CREATE TABLE broken syntax here');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'first_half'").get()).toEqual({ n: 0 });
    db.close();
  });
});
