// The Foundation's walking slice, as a user does it in Chromium: create a project, drop TIFFs
// (a good one among bad ones), see them listed, open one, and check the canvas pixels against
// the source; reload and restart the server: everything is still there.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeTestTiff } from '../generators/tiff/tiffWriter';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCanvas, waitForTiles } from './support/canvasPixels';
import { dropFiles } from './support/dropFiles';
import { createProjectInUi } from './support/projectSteps';
import { endE2eSession, screenshotDir, startE2eSession } from './support/e2eSession';
import { startServedApp, type ServedApp } from './support/servedApp';

const WIDTH = 1500;
const HEIGHT = 1100;

/** A pattern with no symmetry, so an offset or flip by one pixel shows. */
function sourcePixel(x: number, y: number): number {
  return (x * 7 + y * 13 + ((x >> 5) ^ (y >> 5)) * 37) % 256;
}

async function sourceTiff(): Promise<Buffer> {
  const pixels = Buffer.alloc(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) pixels[y * WIDTH + x] = sourcePixel(x, y);
  return encodeTestTiff([{ width: WIDTH, height: HEIGHT, channels: 1, bits: 8, samples: pixels, rowsPerStrip: 32, compression: 'lzw' }]);
}

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let imageId: number;

function dbRows<T>(sql: string): T[] {
  const db = new Database(join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-e2e-', projectName: 'Axon study' }));
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('walking slice in Chromium', () => {
  it('creates a project from the UI', async () => {
    await createProjectInUi(page, served.url, projectDir);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Axon study');
    expect(dbRows<{ n: number }>('SELECT count(*) AS n FROM images')[0]!.n).toBe(0);
  });

  it('imports a dropped TIFF and reports each bad file of the same drop', async () => {
    const good = await sourceTiff();
    await dropFiles(page, '[data-testid="drop-zone"]', [
      { name: 'notes.txt', bytes: Buffer.from('not an image at all'), type: 'text/plain' },
      { name: 'section-01.tif', bytes: good },
      { name: 'empty.tif', bytes: Buffer.alloc(0) },
      { name: 'truncated.tif', bytes: good.subarray(0, 4000) },
    ]);
    const item = page.locator('[data-testid^="image-item-"][data-status="ready"]');
    await item.first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('import-error').count(), { timeout: 30_000 }).toBe(3);
    const errors = await page.getByTestId('import-error').allTextContents();
    for (const name of ['notes.txt', 'empty.tif', 'truncated.tif']) expect(errors.join('\n')).toContain(name);

    const rows = dbRows<{ id: number; name: string; status: string; width: number; height: number; bits_per_sample: number }>(
      'SELECT id, name, status, width, height, bits_per_sample FROM images',
    );
    expect(rows).toEqual([{ id: expect.any(Number), name: 'section-01.tif', status: 'ready', width: WIDTH, height: HEIGHT, bits_per_sample: 8 }]);
    imageId = rows[0]!.id;
    expect(await readdir(join(projectDir, 'tiles'))).toEqual([String(imageId)]);
    expect((await readdir(join(projectDir, 'sources'))).sort()).toEqual(['section-01.tif']);
    // The thumbnail is a real PNG served through the tile handler.
    const thumbnail = page.getByTestId(`image-item-${imageId}`).locator('img');
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  });

  it('opens the image and draws the source pixels at 1:1', async () => {
    await page.getByTestId(`image-item-${imageId}`).locator('button').first().click();
    await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, imageId);
    const centerX = 700;
    const centerY = 500;
    await page.evaluate(([x, y]) => window.__micraViewer!.setView(x!, y!, 1), [centerX, centerY]);
    await waitForTiles(page);
    const shot = await captureCanvas(page);
    await page.screenshot({ path: join(screenshotDir, 'walking-slice-1to1.png') });
    expect(await page.evaluate(() => window.__micraViewer!.getState().level)).toBe(0);

    // Screen pixel (sx, sy) shows image pixel (centerX + sx - w/2, centerY + sy - h/2).
    const x0 = centerX - Math.floor(shot.width / 2);
    const y0 = centerY - Math.floor(shot.height / 2);
    let compared = 0;
    let mismatched = 0;
    // The band below the top HUD (contrast controls, minimap) and above the bottom readout.
    for (let sy = 140; sy < shot.height - 50; sy += 3) {
      for (let sx = 10; sx < shot.width - 10; sx += 3) {
        const ix = x0 + sx;
        const iy = y0 + sy;
        if (ix < 0 || iy < 0 || ix >= WIDTH || iy >= HEIGHT) continue;
        compared++;
        if (Math.abs(shot.gray[sy * shot.width + sx]! - sourcePixel(ix, iy)) > 1) {
          mismatched++;
          if (process.env.MICRA_E2E_DEBUG && mismatched < 40) console.log('mismatch', { sx, sy, ix, iy, got: shot.gray[sy * shot.width + sx], want: sourcePixel(ix, iy) });
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(mismatched).toBe(0);
  });

  it('keeps everything after a page reload and a server restart', async () => {
    await page.reload();
    await page.getByTestId(`image-item-${imageId}`).waitFor();

    await served.stop();
    served = await startServedApp(['--project', projectDir]);
    await page.goto(served.url);
    await page.getByTestId(`image-item-${imageId}`).waitFor();
    await page.getByTestId(`image-item-${imageId}`).locator('button').first().click();
    await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, imageId);
    await page.evaluate(() => window.__micraViewer!.setView(100, 100, 1));
    await waitForTiles(page);
    const shot = await captureCanvas(page);
    // Image pixel (100, 100) sits at the canvas centre.
    const cx = Math.floor(shot.width / 2);
    const cy = Math.floor(shot.height / 2);
    expect(Math.abs(shot.gray[cy * shot.width + cx]! - sourcePixel(100, 100))).toBeLessThanOrEqual(1);
  });
});
