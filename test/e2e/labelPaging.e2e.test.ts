// Issue 12: a label key acts on the crop shown and focused when it was pressed, never on one
// that appears later. Label keys are pressed every 50 ms through several page turns of the crop
// grid (each label advances the focus; the last crop of a page turns the page), first straight
// through (the next page is fetched ahead), then with jumps of two pages and back while tiles
// arrive a second late (keys then meet pages on their way and crops not drawn yet). What the page
// showed at each keydown is read from the DOM before the app handles the key, and the labels in
// project.sqlite must be exactly those keys on exactly those crops. Screenshot:
// test-output/e2e/label-paging.png.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { endE2eSession, screenshotDir, startE2eSession } from './support/e2eSession';
import { createProjectInUi, dropImageAndWaitReady } from './support/projectSteps';
import type { ServedApp } from './support/servedApp';
import { projectRows } from './support/projectRows';

/** 2,560 × 2,048 in crops of 256: 80 crops, several pages of the grid. */
const WIDTH = 2560;
const HEIGHT = 2048;
/** Straight through: about three and a half pages, leaving room for the jumps after. */
const KEYS = 40;
const KEY_INTERVAL_MS = 50;

/** What the page showed when a key went down, read before the app saw the key. */
interface KeyRecord {
  key: string;
  imageId: string | null;
  gridPage: string | null;
  headerPage: string | null;
  turning: string | null;
  x: string | null;
  y: string | null;
  drawn: string | null;
}

declare global {
  interface Window {
    __labelKeyLog?: KeyRecord[];
  }
}

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let imageId: number;
let classId: number;
const pageErrors: string[] = [];

function db<T>(sql: string, ...args: unknown[]): T[] {
  return projectRows<T>(projectDir, sql, ...args);
}

const VALUE_OF: Record<string, string> = { y: 'present', n: 'absent', s: 'skip' };
const TILE_DELAY_MS = 1000;

/** Presses the keys one every KEY_INTERVAL_MS; a label key right after a page key goes at once. */
async function pressEvery(keys: readonly string[]): Promise<void> {
  let due = Date.now();
  for (const [i, key] of keys.entries()) {
    const afterPageKey = i > 0 && keys[i - 1]!.startsWith('Page') && !key.startsWith('Page');
    if (!afterPageKey && Date.now() < due) await page.waitForTimeout(due - Date.now());
    await page.keyboard.press(key);
    due += KEY_INTERVAL_MS;
  }
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-label-paging-e2e-', projectName: 'Paging study' }));
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('label keys across page turns in Chromium', () => {
  it('puts every label on the crop that was shown and focused when its key was pressed', async () => {
    await createProjectInUi(page, served.url, projectDir);
    const tiff = join(workDir, 'sem.tif');
    await writeSemTiff(tiff, generateSemTile({ width: WIDTH, height: HEIGHT, seed: 5, markerCount: 6 }));
    await dropImageAndWaitReady(page, 'sem.tif', await readFile(tiff));
    imageId = db<{ id: number }>('SELECT id FROM images')[0]!.id;

    await page.getByTestId('mode-label').click();
    await page.getByTestId('new-class-name').fill('Marker');
    await page.getByTestId('new-class-create').click();
    await page.getByTestId('label-counts').getByText('Marker').waitFor();
    classId = db<{ id: number }>("SELECT id FROM classes WHERE name = 'Marker'")[0]!.id;
    await page.getByTestId('label-crop-size').selectOption('256');
    await page.locator('[data-testid="crop-cell"][data-focused="true"][data-drawn="true"]').waitFor({ timeout: 30_000 });
    const pageSize = await page.getByTestId('crop-cell').count();
    expect(pageSize).toBeGreaterThan(1);

    // Capture phase on window: runs before the app's own keydown handler, with the DOM as the
    // user saw it (state changes reach the DOM in the microtasks of the task that made them).
    await page.evaluate(() => {
      const log: KeyRecord[] = [];
      window.__labelKeyLog = log;
      window.addEventListener(
        'keydown',
        (e) => {
          const grid = document.querySelector<HTMLElement>('[data-testid="crop-grid"]');
          const cell = document.querySelector<HTMLElement>('[data-testid="crop-cell"][data-focused="true"]');
          log.push({
            key: e.key,
            imageId: grid?.dataset.imageId ?? null,
            gridPage: grid?.dataset.page ?? null,
            headerPage: document.querySelector<HTMLElement>('[data-testid="label-page-info"]')?.dataset.page ?? null,
            turning: grid?.dataset.turning ?? null,
            x: cell?.dataset.x ?? null,
            y: cell?.dataset.y ?? null,
            drawn: cell?.dataset.drawn ?? null,
          });
        },
        true,
      );
    });

    // A fixed, mixed sequence of present / absent / skip, one key every 50 ms.
    const labels = Array.from({ length: KEYS }, (_, i) => 'yns'[(i * 7 + (i >> 2)) % 3]!);
    await pressEvery(labels);
    // Then page jumps the prefetch does not cover (two pages on, one back), tiles a second late,
    // and a label key right behind each page key.
    await page.route(/\/(tile-batch|tiles\/)/, async (route) => {
      await new Promise((r) => setTimeout(r, TILE_DELAY_MS));
      await route.continue().catch(() => undefined);
    });
    const jumps = ['PageDown', 'PageDown', 'y', 'n', 's', 'y', 'n', 'y', 'PageUp', 'n', 's', 'y', 'n', 'y', 'PageDown', 'PageDown', 'y', 'y', 'n', 's', 'n', 'y'];
    await pressEvery(jumps);
    await page.unroute(/\/(tile-batch|tiles\/)/);
    const log = await page.evaluate(() => window.__labelKeyLog ?? []);
    expect(log).toHaveLength(labels.length + jumps.length);

    // A key acts only on a crop shown, drawn and focused, on a page that is not being replaced.
    const labelKeys = log.filter((r) => r.key in VALUE_OF);
    const accepted = labelKeys.filter((r) => r.x !== null && r.drawn === 'true' && r.turning === 'false');
    const expected = new Map<string, string>();
    for (const r of accepted) expected.set(`${r.x},${r.y}`, VALUE_OF[r.key]!);
    const pagesSeen = new Set(accepted.map((r) => r.gridPage));
    console.log(
      `label paging: ${labelKeys.length} label keys, ${accepted.length} applied, ${labelKeys.length - accepted.length} refused (page turning or crop not drawn); pages ${[...pagesSeen].join(', ')}; page size ${pageSize}`,
    );
    const turningRefused = labelKeys.filter((r) => r.turning === 'true').length;
    console.log(`refused: ${turningRefused} during a page turn, ${labelKeys.length - accepted.length - turningRefused} on a crop not drawn yet`);
    // The jumps met pages on their way or crops not drawn yet, and those keys were not applied.
    expect(labelKeys.length - accepted.length).toBeGreaterThan(0);
    // The header and the grid always name the same page: one state.
    for (const r of log) expect(r.headerPage).toBe(r.gridPage);
    // No crop is focused while a page is on its way.
    for (const r of log) if (r.turning === 'true') expect(r.x).toBeNull();
    expect(pagesSeen.size, 'the keys crossed at least three pages').toBeGreaterThanOrEqual(3);
    expect(accepted.every((r) => r.imageId === String(imageId))).toBe(true);

    // Every label decision reached the database: exactly the accepted keys, on exactly their crops.
    await expect
      .poll(() => db<{ n: number }>("SELECT count(*) AS n FROM decisions WHERE target_kind = 'crop' AND action = 'label'")[0]!.n, { timeout: 30_000 })
      .toBe(accepted.length);
    await expect.poll(() => page.locator('[data-testid="crop-cell"].pending').count()).toBe(0);
    const stored = db<{ x: number; y: number; width: number; height: number; image_id: number; value: string }>(
      'SELECT c.x, c.y, c.width, c.height, c.image_id, l.value FROM labels l JOIN crops c ON c.id = l.crop_id WHERE l.class_id = ?',
      classId,
    );
    expect(stored.every((r) => r.width === 256 && r.height === 256 && r.image_id === imageId)).toBe(true);
    const got = new Map(stored.map((r) => [`${r.x},${r.y}`, r.value]));
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
    await page.screenshot({ path: join(screenshotDir, 'label-paging.png') });
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
