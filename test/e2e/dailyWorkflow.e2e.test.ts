// The daily workflow in Chromium (issue 17): the image list says per image whether it was swept
// and how far its review came; an image is renamed and removed (after a confirmation; its tiles
// and uploaded copy go, its decisions stay in the log); the project overview table shows every
// image's size, pixel size, model, sweep status, counts and accepted area, and its CSV download
// agrees with the database, and each image's state in a cluster study (issue 18: planned or
// collected into a run). Screenshot: test-output/e2e/overview-table.png.
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { OVERVIEW_CSV_HEADER } from '../../src-main/core/export/exportCsv';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { seedObjects, type SeededObject } from '../integration/export/seedObjects';
import { endE2eSession, openProjectInPage, screenshotDir, startE2eSession } from './support/e2eSession';
import type { ServedApp } from './support/servedApp';

const PIXEL_NM = 5;
let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
/** Imported from a path, seeded with objects and a finished sweep run. */
let imageA: number;
/** Uploaded (a copy in sources/), seeded with objects, never swept: the one removed. */
let imageB: number;
let seededA: SeededObject[];
let uploadedCopy: string;
/** The sweep run image A's cluster task was collected into. */
let collectedRun: number;

const accepted = (seeded: SeededObject[]) => seeded.filter((o) => o.decision === 'accepted' || o.decision === 'added');
const areaOf = (objects: SeededObject[]) => objects.reduce((s, o) => s + o.area, 0);

/** A read of the project database beside the served app (WAL: readers never block it). */
function db<T>(sql: string, ...params: Array<string | number>): T[] {
  const conn = new Database(join(projectDir, 'project.sqlite'), { readonly: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

async function download(testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(workDir, `dl-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-daily-e2e-', projectName: 'Daily study', viewport: { width: 1500, height: 860 } }));
  const tiffA = join(workDir, 'section-a.tif');
  const tiffB = join(workDir, 'section-b.tif');
  await writeSemTiff(tiffA, generateSemTile({ width: 1024, height: 768, seed: 31, markerCount: 2 }));
  await writeSemTiff(tiffB, generateSemTile({ width: 1024, height: 720, seed: 32, markerCount: 2 }));
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, true);
    const a = await app.importFile(tiffA);
    if (!a.ok) throw new Error(a.error);
    imageA = a.image.id;
    const [b] = await app.importUpload('section-b.tif', createReadStream(tiffB));
    if (!b?.ok || !('image' in b)) throw new Error(`upload failed: ${JSON.stringify(b)}`);
    imageB = b.image.id;
    const { store } = app.requireProject();
    store.images.setPixelSize(imageA, PIXEL_NM);
    seededA = seedObjects(store, imageA);
    seedObjects(store, imageB);
    const model = store.models.list().find((m) => m.name === 'seed')!;
    const runs = store.sweepRuns;
    const run = runs.create({ imageId: imageA, modelId: model.id, classId: seededA[0]!.classId, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 3 });
    for (let col = 0; col < 4; col++) for (let row = 0; row < 3; row++) runs.recordCrop(run.id, { col, row, score: 0.2 });
    runs.finish(run.id, 'done', null);
    // A cluster study (`micra batch plan` / `collect`, as test/integration/batch runs them): image
    // A's task collected into the run above, image B's still on the cluster.
    store.db.prepare("INSERT INTO batch_plans (id, job_dir) VALUES ('plan-e2e', '/scratch/study-job')").run();
    store.db.prepare("INSERT INTO batch_tasks (plan_id, task_index, image_id, sweep_run_id, journal_sha256, collected_at) VALUES ('plan-e2e', 0, ?, ?, 'x', '2026-12-07T00:00:00Z')").run(imageA, run.id);
    store.db.prepare("INSERT INTO batch_tasks (plan_id, task_index, image_id) VALUES ('plan-e2e', 1, ?)").run(imageB);
    collectedRun = run.id;
  } finally {
    await app.close();
  }
  uploadedCopy = join(projectDir, db<{ source_path: string }>('SELECT source_path FROM images WHERE id = ?', imageB)[0]!.source_path);
  await openProjectInPage({ page, served, projectDir });
}, 180_000);

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('the daily workflow in Chromium', () => {
  it('shows per image in the list whether it was swept, its suggestions, reviewed and accepted', async () => {
    const itemA = page.getByTestId(`image-item-${imageA}`);
    await expect.poll(() => itemA.getByTestId('image-progress').getAttribute('data-sweep')).toBe('done');
    expect(await itemA.getByTestId('image-sweep').textContent()).toBe('swept');
    expect(await itemA.getByTestId('image-suggestions').textContent()).toBe('5 suggestions');
    expect(await itemA.getByTestId('image-reviewed').textContent()).toBe('3/5 reviewed');
    expect(await itemA.getByTestId('image-accepted').textContent()).toBe('2 accepted');
    const itemB = page.getByTestId(`image-item-${imageB}`);
    expect(await itemB.getByTestId('image-sweep').textContent()).toBe('not swept');
  });

  it('shows the overview table and downloads it as CSV, in agreement with the database', async () => {
    await page.getByTestId('mode-overview').click();
    const rowA = page.getByTestId(`overview-row-${imageA}`);
    await rowA.waitFor();
    expect(await page.locator('[data-testid^="overview-row-"]').count()).toBe(2);
    expect(await rowA.textContent()).toContain('1024 × 768');
    expect(await rowA.textContent()).toContain('5 nm/px');
    expect(await rowA.textContent()).toContain('seed');
    expect(await rowA.getByTestId('overview-sweep').textContent()).toBe('swept');
    expect(await rowA.getByTestId('overview-suggestions').textContent()).toBe('5');
    expect(await rowA.getByTestId('overview-accepted').textContent()).toBe('2');
    // The cluster study: A collected into its run, B planned and not collected yet.
    expect(await rowA.getByTestId('overview-cluster').textContent()).toBe(`collected → run ${collectedRun}`);
    expect(await page.getByTestId(`overview-row-${imageB}`).getByTestId('overview-cluster').textContent()).toBe('planned, task 1');
    const um2 = areaOf(accepted(seededA)) * (PIXEL_NM / 1000) ** 2;
    expect(parseFloat((await rowA.getByTestId('overview-area').textContent()) ?? '')).toBeCloseTo(um2, 2);
    await page.screenshot({ path: join(screenshotDir, 'overview-table.png') });

    const csv = await download('overview-export');
    expect(csv.name).toBe('Daily_study_overview.csv');
    const [header, ...rows] = csv.text.trim().split('\n').map((l) => l.split(','));
    expect(header).toEqual(OVERVIEW_CSV_HEADER);
    const cell = (row: string[], name: string) => row[OVERVIEW_CSV_HEADER.indexOf(name)];
    expect(rows.map((r) => Number(cell(r, 'image_id')))).toEqual([imageA, imageB]);
    const a = rows[0]!;
    expect([cell(a, 'model'), cell(a, 'sweep_status'), cell(a, 'crops_done'), cell(a, 'crops_total')]).toEqual(['seed', 'done', '12', '12']);
    expect([cell(a, 'suggestions'), cell(a, 'reviewed'), cell(a, 'accepted'), cell(a, 'added')]).toEqual(['5', '3', '2', '1']);
    expect(Number(cell(a, 'accepted_area_px2'))).toBe(areaOf(accepted(seededA)));
    expect(Number(cell(a, 'accepted_area_um2'))).toBeCloseTo(um2, 9);
    expect([cell(rows[1]!, 'sweep_status'), cell(rows[1]!, 'pixel_size_nm')]).toEqual(['none', '']);
    expect([cell(a, 'cluster_plan'), cell(a, 'cluster_collected_run'), cell(rows[1]!, 'cluster_plan'), cell(rows[1]!, 'cluster_collected_run')]).toEqual(['plan-e2e', String(collectedRun), 'plan-e2e', '']);
  });

  it('renames an image: the database, the list and the overview show the new name', async () => {
    await page.getByTestId(`image-item-${imageB}`).locator('button.row').click();
    await page.getByTestId('image-rename').click();
    await page.getByTestId('rename-input').fill('control section');
    await page.getByTestId('rename-save').click();
    await expect.poll(() => db<{ name: string }>('SELECT name FROM images WHERE id = ?', imageB)[0]?.name).toBe('control section');
    await expect.poll(() => page.getByTestId(`image-item-${imageB}`).locator('.name').textContent()).toBe('control section');
    await expect.poll(() => page.getByTestId(`overview-row-${imageB}`).locator('.name button').textContent()).toBe('control section');
  });

  it('removes an image after a confirmation: tiles and uploaded copy deleted, decisions kept', async () => {
    const decisions = db<{ n: number }>('SELECT count(*) AS n FROM decisions')[0]!.n;
    const onB = db<{ n: number }>("SELECT count(*) AS n FROM decisions WHERE target_kind = 'suggestion' AND target_id IN (SELECT id FROM suggestions WHERE image_id = ?)", imageB)[0]!.n;
    expect(onB).toBeGreaterThan(0);
    expect(existsSync(uploadedCopy)).toBe(true);
    expect(readdirSync(join(projectDir, 'tiles'))).toContain(String(imageB));

    // Asked first; "Keep it" keeps it.
    await page.getByTestId('image-remove').click();
    expect(await page.getByTestId('remove-confirm').textContent()).toContain('decisions made on it stay');
    await page.getByTestId('remove-confirm-no').click();
    expect(db('SELECT id FROM images WHERE id = ?', imageB)).toHaveLength(1);

    await page.getByTestId('image-remove').click();
    await page.getByTestId('remove-confirm-yes').click();
    await page.getByTestId(`image-item-${imageB}`).waitFor({ state: 'detached' });
    expect(db('SELECT id FROM images WHERE id = ?', imageB)).toEqual([]);
    expect(db('SELECT id FROM suggestions WHERE image_id = ?', imageB)).toEqual([]);
    expect(db<{ n: number }>('SELECT count(*) AS n FROM decisions')[0]!.n).toBe(decisions);
    // The row goes first (images.changed), then the files.
    await expect.poll(() => existsSync(uploadedCopy)).toBe(false);
    await expect.poll(() => readdirSync(join(projectDir, 'tiles'))).not.toContain(String(imageB));
    await expect.poll(() => page.locator('[data-testid^="overview-row-"]').count()).toBe(1);
    // The other image is selected and untouched.
    await expect.poll(() => page.getByTestId('image-details').getAttribute('data-image-id')).toBe(String(imageA));
    expect(await page.locator('[data-testid^="image-item-"]').count()).toBe(1);
    expect(db('SELECT id FROM images WHERE id = ?', imageA)).toHaveLength(1);
  });
});
