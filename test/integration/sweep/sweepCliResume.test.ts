// `micra sweep` killed mid-run: the next `micra sweep` with the same model and settings continues
// that run from its finished crops (resumed: true, fromCrop) and sweeps no crop twice; --restart
// starts a new run from crop 0.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweepCommand } from '../../../src-main/cli/commands/sweepCommand';
import { journalPath, readJournal } from '../../../src-main/core/ml/sweep/sweepJournal';
import { capturedConsole } from '../app/appTestKit';
import { FIXTURE_MODEL, REPO, sweepProject, type SweepProject } from './sweepKit';

const CLI = path.join(REPO, 'src-main', 'cli', 'main.ts');
const CROPS = 8; // 1024 × 512 in 256² crops
const { out } = capturedConsole();

function query<T>(projectDir: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const runLines = () => out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => 'resumed' in l);

describe('micra sweep after a killed sweep', () => {
  let p: SweepProject;
  let args: string[];
  beforeAll(async () => {
    p = await sweepProject({ width: 1024, height: 512, seed: 9, markerCount: 3 });
    // The CLI is the project's only writer from here on.
    await p.app.close();
    args = ['--project', p.projectDir, '--image', String(p.imageId), '--model', FIXTURE_MODEL, '--workers', '1'];
  }, 60_000);
  afterAll(async () => {
    await p?.cleanup();
  });

  it('resumes the run from its finished crops and sweeps none of them again', async () => {
    const cli = spawn(process.execPath, ['--import', 'tsx', CLI, 'sweep', ...args], { cwd: REPO, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.once('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 180_000;
    while (query<{ n: number }>(p.projectDir, 'SELECT count(*) AS n FROM sweep_crops')[0]!.n === 0) {
      if (Date.now() > deadline) throw new Error('no crop was recorded');
      await sleep(20);
    }
    cli.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [killed] = query<{ id: number; status: string }>(p.projectDir, 'SELECT id, status FROM sweep_runs');
    const recorded = query<{ n: number }>(p.projectDir, 'SELECT count(*) AS n FROM sweep_crops')[0]!.n;
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThan(CROPS);

    expect(await runSweepCommand(args)).toBe(0);
    const [line] = runLines();
    expect(line).toMatchObject({ run: killed!.id, image: p.imageId, status: 'done', resumed: true, crops: CROPS });
    // What the killed run had recorded, plus what its journal held beyond that, is not swept again.
    expect(line!.fromCrop).toBeGreaterThanOrEqual(recorded);
    expect(line!.fromCrop).toBeLessThan(CROPS);
    expect(query(p.projectDir, 'SELECT id FROM sweep_runs')).toEqual([{ id: killed!.id }]);
    expect(query<{ n: number }>(p.projectDir, 'SELECT count(*) AS n FROM sweep_crops WHERE run_id = ?', killed!.id)[0]!.n).toBe(CROPS);
    // The journal has one line per crop swept, across both processes: no crop appears twice.
    const { crops } = await readJournal(journalPath(p.projectDir, killed!.id));
    const cells = crops.map((c) => `${c.col},${c.row}`);
    expect(new Set(cells).size).toBe(cells.length);
    expect(cells).toHaveLength(CROPS);
    const [lastJob] = query<{ params: string }>(p.projectDir, "SELECT params FROM jobs WHERE kind = 'sweep' ORDER BY id DESC LIMIT 1");
    expect((JSON.parse(lastJob!.params) as { skip: unknown[] }).skip).toHaveLength(line!.fromCrop as number);
  }, 400_000);

  it('with --restart starts a new run from crop 0 even when the last one is unfinished', async () => {
    const [previous] = query<{ id: number }>(p.projectDir, 'SELECT id FROM sweep_runs');
    // As a cancel leaves it: unfinished, with its crops recorded.
    const db = new Database(path.join(p.projectDir, 'project.sqlite'));
    db.prepare("UPDATE sweep_runs SET status = 'cancelled' WHERE id = ?").run(previous!.id);
    db.close();
    expect(await runSweepCommand([...args, '--restart'])).toBe(0);
    const [line] = runLines();
    expect(line).toMatchObject({ status: 'done', resumed: false, fromCrop: 0, crops: CROPS });
    expect(line!.run).not.toBe(previous!.id);
    expect(query(p.projectDir, 'SELECT id, status FROM sweep_runs ORDER BY id')).toEqual([
      { id: previous!.id, status: 'cancelled' },
      { id: line!.run, status: 'done' },
    ]);
  }, 400_000);
});
