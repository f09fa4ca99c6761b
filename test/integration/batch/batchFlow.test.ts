// A study planned into a job folder, its tasks run directly (no scheduler), collected into the
// project: the suggestions equal a local sweep of the same images, a killed task resumes its
// journal, collecting twice adds nothing, and what the job folder holds is checked.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchCommand } from '../../../src-main/cli/commands/batchCommand';
import { batchStatus } from '../../../src-main/core/batch/batchStatus';
import { taskJournalPath } from '../../../src-main/core/batch/jobFolder';
import { runSweepTask } from '../../../src-main/core/batch/sweepTask';
import { readTaskState, writeTaskState } from '../../../src-main/core/batch/taskState';
import { JobCancelledError } from '../../../src-main/core/jobs/jobContext';
import { readJournal } from '../../../src-main/core/ml/sweep/sweepJournal';
import { projectOverview } from '../../../src-main/core/export/projectOverview';
import { openProjectStore } from '../../../src-main/core/project/projectStore';
import { capturedConsole } from '../app/appTestKit';
import { FIXTURE_MODEL, makeStudy, query, suggestionsOf, sweepLocally, type Study } from './batchKit';

const { out } = capturedConsole();
const lines = () => out.map((l) => JSON.parse(l) as Record<string, unknown>);

/** What the app's overview (image list, Overview screen, overview CSV) says of each image's cluster task. */
function clusterStates(projectDir: string): Array<[number, number | null] | null> {
  const store = openProjectStore(projectDir, { create: false });
  try {
    return projectOverview(store).map((r) => (r.cluster ? [r.cluster.taskIndex, r.cluster.collectedRunId] : null));
  } finally {
    store.close();
  }
}

describe('micra batch without a scheduler', () => {
  let study: Study;
  let job: string;
  beforeAll(async () => {
    study = await makeStudy([512, 768, 512], 31);
    job = path.join(study.tmp, 'job');
  }, 120_000);
  afterAll(() => study?.cleanup());

  it('plans a self-contained job folder and records the plan in the project', async () => {
    expect(await runBatchCommand(['plan', '--project', study.projectDir, '--all', '--model', FIXTURE_MODEL, '--out', job])).toBe(0);
    const [head, ...tasks] = lines();
    expect(head).toMatchObject({ tasks: 3, tiles: 'hardlink' });
    expect(tasks.map((t) => [t['index'], t['image'], t['crops']])).toEqual(study.imageIds.map((id, i) => [i, id, i === 1 ? 9 : 4]));
    // Level 0 of the tile store, hard-linked: the same file, no copy.
    const id = study.imageIds[1] as number;
    const linked = fs.statSync(path.join(job, 'tiles', String(id), '0', '1_1.raw'));
    expect(linked.ino).toBe(fs.statSync(path.join(study.projectDir, 'tiles', String(id), '0', '1_1.raw')).ino);
    expect(fs.existsSync(path.join(job, 'tiles', String(id), '1'))).toBe(false);
    expect(fs.existsSync(path.join(job, 'model', 'manifest.json'))).toBe(true);
    expect(query(study.projectDir, 'SELECT task_index, image_id, collected_at FROM batch_tasks ORDER BY task_index')).toEqual(
      study.imageIds.map((imageId, i) => ({ task_index: i, image_id: imageId, collected_at: null })),
    );
    // The app shows each image as planned (no run collected yet).
    expect(clusterStates(study.projectDir)).toEqual([[0, null], [1, null], [2, null]]);
    // A plan never reuses a folder.
    await expect(runBatchCommand(['plan', '--project', study.projectDir, '--all', '--out', job])).rejects.toThrow(/not empty/);
  }, 120_000);

  it('runs tasks; a killed one shows as failed and resumes its journal', async () => {
    expect(await runBatchCommand(['sweep-task', job, '--index', '0', '--workers', '1'])).toBe(0);
    expect(await runBatchCommand(['sweep-task', job, '--index', '2', '--workers', '1'])).toBe(0);
    const stop = new AbortController();
    const killed = runSweepTask(job, 1, { workers: 1, signal: stop.signal, progress: (done) => done > 0 && stop.abort('SIGTERM') });
    await expect(killed).rejects.toBeInstanceOf(JobCancelledError);
    expect(await readTaskState(job, 1)).toMatchObject({ state: 'failed', error: expect.stringMatching(/SIGTERM/) });
    const before = (await readJournal(taskJournalPath(job, 1))).crops.length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(9);
    // As a kill mid-write leaves it.
    fs.appendFileSync(taskJournalPath(job, 1), '{"col":0,"ro');
    const status = await batchStatus(job, async () => ({ queued: null, accounted: null }));
    expect(status.tasks.map((t) => [t.status, t.crops])).toEqual([
      ['done', 4],
      ['failed', before],
      ['done', 4],
    ]);
  }, 300_000);

  it('collects finished tasks only, then the resumed one, and never twice', async () => {
    expect(await runBatchCommand(['collect', job, '--project', study.projectDir])).toBe(0);
    expect(lines().map((l) => [l['index'], l['status']])).toEqual([
      [0, 'collected'],
      [2, 'collected'],
      [1, 'unfinished'],
    ]);
    out.length = 0;
    // A second copy on this machine while one runs is refused, the journal untouched.
    const saved = await readTaskState(job, 1);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await writeTaskState(job, 1, { state: 'running', host: os.hostname(), pid: other.pid as number, slurmJobId: null, updatedAt: new Date().toISOString(), error: null });
      const journalBefore = fs.readFileSync(taskJournalPath(job, 1));
      await expect(runBatchCommand(['sweep-task', job, '--index', '1', '--workers', '1'])).rejects.toThrow(`process ${other.pid} on this machine is already running it`);
      expect(fs.readFileSync(taskJournalPath(job, 1)).equals(journalBefore)).toBe(true);
    } finally {
      other.kill('SIGKILL');
      if (saved) await writeTaskState(job, 1, saved);
    }
    expect(await runBatchCommand(['sweep-task', job, '--index', '1', '--workers', '1'])).toBe(0);
    expect(lines()[0]).toMatchObject({ index: 1, status: 'done', crops: 9 });
    const cells = (await readJournal(taskJournalPath(job, 1))).crops.map((c) => `${c.col},${c.row}`);
    expect(new Set(cells).size).toBe(9);
    expect(cells).toHaveLength(9);
    out.length = 0;
    expect(await runBatchCommand(['collect', job, '--project', study.projectDir])).toBe(0);
    expect(lines().map((l) => [l['index'], l['status']])).toEqual([
      [1, 'collected'],
      [0, 'already-collected'],
      [2, 'already-collected'],
    ]);
    const counts = () => query(study.projectDir, 'SELECT (SELECT count(*) FROM sweep_runs) AS runs, (SELECT count(*) FROM suggestions) AS suggestions, (SELECT count(*) FROM sweep_crops) AS crops');
    const once = counts();
    expect(once).toEqual([{ runs: 3, suggestions: expect.any(Number), crops: 17 }]);
    out.length = 0;
    expect(await runBatchCommand(['collect', job, '--project', study.projectDir])).toBe(0);
    expect(lines().every((l) => l['status'] === 'already-collected')).toBe(true);
    expect(counts()).toEqual(once);
    expect(query(study.projectDir, "SELECT status FROM sweep_runs WHERE status != 'done'")).toEqual([]);
    // The app shows each image collected, into the run that holds its suggestions.
    const runOf = query(study.projectDir, 'SELECT task_index, sweep_run_id FROM batch_tasks ORDER BY task_index') as Array<{ task_index: number; sweep_run_id: number }>;
    expect(clusterStates(study.projectDir)).toEqual(runOf.map((r) => [r.task_index, r.sweep_run_id]));
    expect(runOf.every((r) => r.sweep_run_id > 0)).toBe(true);
  }, 300_000);

  it('lands in the project exactly as a local sweep of the same images', async () => {
    await sweepLocally(study.localDir, study.imageIds, 1);
    const local = suggestionsOf(study.localDir);
    expect(local.length).toBeGreaterThan(0);
    // Tasks 0 and 2 ran uninterrupted; task 1 was killed and resumed.
    const whole = [study.imageIds[0] as number, study.imageIds[2] as number];
    expect(suggestionsOf(study.projectDir, whole)).toEqual(suggestionsOf(study.localDir, whole));
    expect(suggestionsOf(study.projectDir)).toEqual(local);
    // And with the same out-of-distribution warnings on each image's run.
    const warnings = (dir: string) => query<{ image_id: number; warnings: string }>(dir, 'SELECT image_id, warnings FROM sweep_runs ORDER BY image_id');
    expect(warnings(study.projectDir)).toEqual(warnings(study.localDir));
    expect(warnings(study.projectDir)).toHaveLength(3);
  }, 300_000);

  it('refuses what does not belong: another project, a changed tile, a corrupt journal', async () => {
    await expect(runBatchCommand(['collect', job, '--project', study.localDir])).rejects.toThrow(/not made from this project/);
    // A tile replaced (not rewritten: the project's linked file stays as it was).
    const id = study.imageIds[0] as number;
    const tile = path.join(job, 'tiles', String(id), '0', '0_0.raw');
    const bytes = fs.readFileSync(tile);
    fs.rmSync(tile);
    bytes[0] = (bytes[0] as number) ^ 0xff;
    fs.writeFileSync(tile, bytes);
    fs.rmSync(path.dirname(taskJournalPath(job, 0)), { recursive: true });
    await expect(runBatchCommand(['sweep-task', job, '--index', '0'])).rejects.toThrow(/tiles of image \d+ changed/);
    expect(await readTaskState(job, 0)).toMatchObject({ state: 'failed' });
    // A line in the middle of a journal that is not a crop: the task is invalid, not skipped over.
    const journal = taskJournalPath(job, 2);
    const text = fs.readFileSync(journal, 'utf8').split('\n');
    text.splice(1, 0, '{"col":99,"row":0,"score":0.5,"regions":[]}');
    fs.writeFileSync(journal, text.join('\n'));
    const status = await batchStatus(job, async () => ({ queued: null, accounted: null }));
    expect(status.tasks[2]).toMatchObject({ status: 'failed', detail: expect.stringMatching(/line 2: crop 99,0 is outside/) });
    await expect(runBatchCommand(['sweep-task', job, '--index', '7'])).rejects.toThrow(/no task 7/);
  }, 120_000);
});
