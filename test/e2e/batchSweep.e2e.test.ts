// Sweeping every image as one batch from review mode (issue 17): one progress over both images
// (crops of all runs) with an ETA, one Cancel for the batch, and a resume that skips the image
// already swept with the model and continues the cancelled run from its finished crops. Main
// keeps the batch: leaving Review and coming back, or reloading, shows the same running batch,
// whose Cancel then stops it. What each step did is read from project.sqlite: the runs per image
// and their crops.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { dropFiles } from './support/dropFiles';
import { defaultModelOrFixture, endE2eSession, screenshotDir, startE2eSession } from './support/e2eSession';
import { createProjectInUi } from './support/projectSteps';
import type { ServedApp } from './support/servedApp';
import { projectRows } from './support/projectRows';

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let restoreDefaultModel: () => void = () => undefined;
/** Image ids: the small one (4 crops) sweeps first, the large one (25 crops) is cancelled midway. */
let small: number;
let large: number;

interface RunRow {
  id: number;
  image_id: number;
  status: string;
}

function db<T>(sql: string, ...args: unknown[]): T[] {
  return projectRows<T>(projectDir, sql, ...args);
}

const runsOf = (imageId: number): RunRow[] => db<RunRow>('SELECT id, image_id, status FROM sweep_runs WHERE image_id = ? ORDER BY id', imageId);
const cropsOf = (runId: number): number => db<{ n: number }>('SELECT count(*) AS n FROM sweep_crops WHERE run_id = ?', runId)[0]!.n;

beforeAll(async () => {
  restoreDefaultModel = defaultModelOrFixture();
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-batch-e2e-', projectName: 'Batch study', viewport: { width: 1600, height: 900 } }));
});

afterAll(async () => {
  restoreDefaultModel();
  await endE2eSession({ browser, served, workDir });
});

describe('batch sweep in Chromium', () => {
  it('sweeps two images as one batch with one progress, and cancels it with one Cancel', async () => {
    await createProjectInUi(page, served.url, projectDir);
    const files = [];
    for (const [name, size, seed] of [['small.tif', 512, 3], ['large.tif', 1280, 4]] as const) {
      const path = join(workDir, name);
      await writeSemTiff(path, generateSemTile({ width: size, height: size, seed, markerCount: 2 }));
      files.push({ name, bytes: await readFile(path) });
    }
    await dropFiles(page, '[data-testid="drop-zone"]', files);
    await expect.poll(() => page.locator('[data-testid^="image-item-"][data-status="ready"]').count(), { timeout: 150_000 }).toBe(2);
    const ids = db<{ id: number; width: number }>('SELECT id, width FROM images ORDER BY id');
    small = ids.find((i) => i.width === 512)!.id;
    large = ids.find((i) => i.width === 1280)!.id;
    await page.getByTestId(`image-item-${small}`).locator('button').first().click();
    await page.getByTestId('mode-review').click();
    await page.getByTestId('review-panel').waitFor();

    await page.getByTestId('batch-start').click();
    const status = page.getByTestId('batch-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('running');
    // One progress over both images: 4 + 25 crops.
    expect(await status.getAttribute('data-total')).toBe('29');
    expect(await page.getByTestId('batch-progress').textContent()).toContain('/ 29 crops');
    const batchRuns = [runsOf(small)[0]!.id, runsOf(large)[0]!.id].join(',');
    expect(await status.getAttribute('data-runs')).toBe(batchRuns);

    // Main keeps the batch: leaving Review and coming back, or reloading the page, shows the same
    // batch (its runs), still running, with its progress and Cancel.
    await page.getByTestId('mode-view').click();
    await status.waitFor({ state: 'detached' });
    await page.getByTestId('mode-review').click();
    await expect.poll(() => status.getAttribute('data-runs'), { timeout: 30_000 }).toBe(batchRuns);
    expect(await status.getAttribute('data-status')).toBe('running');
    expect(await status.getAttribute('data-total')).toBe('29');
    await page.reload();
    await page.getByTestId('review-panel').waitFor();
    await expect.poll(() => status.getAttribute('data-runs'), { timeout: 30_000 }).toBe(batchRuns);
    expect(await status.getAttribute('data-status')).toBe('running');
    await page.getByTestId('batch-cancel').waitFor();

    // The small image finishes, the large one starts: the batch's progress counts both, with an ETA.
    await expect.poll(() => runsOf(small)[0]?.status, { timeout: 150_000 }).toBe('done');
    await expect.poll(async () => Number(await status.getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThan(4);
    await expect.poll(() => page.getByTestId('batch-progress').textContent(), { timeout: 30_000 }).toMatch(/\d+ \/ 29 crops · ETA /);
    await page.screenshot({ path: join(screenshotDir, 'batch-sweep-progress.png') });
    await page.getByTestId('batch-cancel').click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    const [largeRun] = runsOf(large);
    expect(largeRun?.status).toBe('cancelled');
    expect(cropsOf(largeRun!.id)).toBeLessThan(25);
    expect(runsOf(small).map((r) => r.status)).toEqual(['done']);
  }, 420_000);

  it('resumes the batch: the finished image skipped, the cancelled run continued to its end', async () => {
    const largeRun = runsOf(large)[0]!;
    const cropsBefore = cropsOf(largeRun.id);
    await page.getByTestId('batch-start').click();
    await page.getByTestId('batch-skipped').waitFor();
    expect(await page.getByTestId('batch-skipped').getAttribute('data-count')).toBe('1');
    await page.getByTestId('batch-resumed').waitFor();
    // The batch now is the large image only: its crops done before count from the start.
    const status = page.getByTestId('batch-status');
    expect(await status.getAttribute('data-total')).toBe('25');
    expect(Number(await status.getAttribute('data-done'))).toBeGreaterThanOrEqual(cropsBefore);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 240_000 }).toBe('done');
    // No new run for either image: the small one was skipped, the large one's run continued.
    expect(runsOf(small)).toHaveLength(1);
    expect(runsOf(large).map((r) => [r.id, r.status])).toEqual([[largeRun.id, 'done']]);
    expect(cropsOf(largeRun.id)).toBe(25);
    expect(await page.getByTestId('batch-progress').textContent()).toContain('25 / 25 crops');
  }, 300_000);
});
