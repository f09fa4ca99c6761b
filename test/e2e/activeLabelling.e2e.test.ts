// Active labelling in Chromium (issue 15): a synthetic SEM image with three markers imported
// through the app; in Label crops the grid is switched to "likely positives first": the active
// model (the bundled default) scores the grid in a compute job, and the grid then opens on a
// crop that holds a marker, the cells in falling score order; "most uncertain first" reorders
// them; a label made on the ordered grid is the crops/labels record the grid order shows again.
// Screenshot: test-output/e2e/active-labelling.png.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { defaultModelOrFixture, endE2eSession, openProjectInPage, screenshotDir, startE2eSession } from './support/e2eSession';
import type { ServedApp } from './support/servedApp';
import { dbRows } from './support/viewerProject';

const W = 1024;
const H = 768;
let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let restoreModel: () => void;
let tile: ReturnType<typeof generateSemTile>;

beforeAll(async () => {
  restoreModel = defaultModelOrFixture();
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-active-e2e-', projectName: 'Active', viewport: { width: 1600, height: 1000 } }));
  tile = generateSemTile({ width: W, height: H, seed: 11, markerCount: 3 });
  const tiff = join(workDir, 'sem.tif');
  await writeSemTiff(tiff, tile);
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, true);
    const outcome = await app.importFile(tiff);
    if (!outcome.ok) throw new Error(outcome.error);
  } finally {
    await app.close();
  }
  await openProjectInPage({ page, served, projectDir });
}, 180_000);

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
  restoreModel?.();
});

const holdsMarker = (x: number, y: number) => tile.markers.some((m) => m.cx >= x && m.cx < x + 256 && m.cy >= y && m.cy < y + 256);

async function cells(): Promise<Array<{ index: number; x: number; y: number }>> {
  return page.$$eval('[data-testid="crop-cell"]', (els) => els.map((e) => ({ index: Number(e.getAttribute('data-index')), x: Number(e.getAttribute('data-x')), y: Number(e.getAttribute('data-y')) })));
}

describe('active labelling in Chromium', () => {
  it('orders the crop grid by the model: likely positives first, then most uncertain first', async () => {
    await page.getByTestId('mode-label').click();
    await page.getByTestId('new-class-name').fill('Axon');
    await page.getByTestId('new-class-create').click();
    await page.getByTestId('label-counts').getByText('Axon').waitFor();
    await page.getByTestId('label-crop-size').selectOption('256');
    await page.locator('[data-testid="crop-cell"][data-focused="true"][data-drawn="true"]').waitFor({ timeout: 30_000 });
    const raster = await cells();
    expect(raster[0]!.index).toBe(0);

    await page.getByTestId('label-crop-order').selectOption('likely');
    // The scoring job runs, then the grid reorders: its first crop holds a marker.
    await expect.poll(() => dbRows<{ status: string }>(projectDir, "SELECT status FROM jobs WHERE kind = 'cropScores'")[0]?.status, { timeout: 120_000 }).toBe('done');
    await expect.poll(async () => JSON.stringify((await cells()).map((c) => c.index))).not.toBe(JSON.stringify(raster.map((c) => c.index)));
    const likely = await cells();
    expect(holdsMarker(likely[0]!.x, likely[0]!.y)).toBe(true);
    const rows = dbRows<{ kind: string; status: string }>(projectDir, "SELECT kind, status FROM jobs WHERE kind = 'cropScores'");
    expect(rows).toEqual([{ kind: 'cropScores', status: 'done' }]);

    await page.getByTestId('label-crop-order').selectOption('uncertain');
    await expect.poll(async () => JSON.stringify((await cells()).map((c) => c.index))).not.toBe(JSON.stringify(likely.map((c) => c.index)));
    // Scored once: the second order reads the cache.
    expect(dbRows<{ n: number }>(projectDir, "SELECT count(*) AS n FROM jobs WHERE kind = 'cropScores'")[0]!.n).toBe(1);

    await page.getByTestId('label-crop-order').selectOption('likely');
    await expect.poll(async () => (await cells())[0]?.index).toBe(likely[0]!.index);
    await page.locator('[data-testid="crop-cell"][data-focused="true"][data-drawn="true"]').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'active-labelling.png') });
    // Label the focused (first) crop present: the grid's record, at that crop.
    await page.keyboard.press('1');
    await expect.poll(() => dbRows<{ n: number }>(projectDir, 'SELECT count(*) AS n FROM labels')[0]!.n).toBe(1);
    const label = dbRows<{ x: number; y: number; value: string }>(projectDir, 'SELECT c.x, c.y, l.value FROM labels l JOIN crops c ON c.id = l.crop_id')[0]!;
    expect(label).toEqual({ x: likely[0]!.x, y: likely[0]!.y, value: 'present' });
    await page.getByTestId('label-crop-order').selectOption('raster');
    await expect.poll(async () => (await cells())[0]?.index).toBe(0);
    const cell = page.locator(`[data-testid="crop-cell"][data-index="${likely[0]!.index}"]`);
    await expect.poll(() => cell.getAttribute('data-value')).toBe('present');
  }, 240_000);
});
