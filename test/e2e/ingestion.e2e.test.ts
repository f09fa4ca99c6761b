// Ingestion in Chromium (serve mode): a multi-page TIFF asks "every page or the first?" and
// each answer gives the matching rows (source_page); a dropped duplicate asks "skip or import
// anyway?" and each answer is checked in the database; moving the original makes the UI say it
// is missing, a file with other pixels is refused with the API's reason, relinking the right
// one makes it present again with source_path updated; editing the pixel size changes the
// stored value and the scale bar's text. Screenshots go to test-output/e2e/ingestion-*.png.
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTestTiff, writeTestTiff, type TestPage } from '../generators/tiff/tiffWriter';
import { dropFiles } from './support/dropFiles';
import { createProjectInUi } from './support/projectSteps';
import { endE2eSession, startE2eSession } from './support/e2eSession';
import type { ServedApp } from './support/servedApp';
import { dbRows, screenshotDir } from './support/viewerProject';
import type {} from '../../src-renderer/viewer/testHook';

const [W, H] = [640, 480];
let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;

interface ImageRowView {
  id: number;
  name: string;
  source_page: number;
  source_path: string;
  pixel_size_nm: number | null;
  status: string;
}

const rows = (): ImageRowView[] => dbRows<ImageRowView>(projectDir, 'SELECT id, name, source_page, source_path, pixel_size_nm, status FROM images ORDER BY id');

function grayPage(seed: number): TestPage {
  const samples = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) samples[y * W + x] = (x * 3 + y * 5 + seed * 41 + ((x >> 4) ^ (y >> 4)) * seed) & 255;
  return { width: W, height: H, channels: 1, bits: 8, samples, rowsPerStrip: 32, compression: 'lzw' };
}

const drop = (name: string, bytes: Buffer) => dropFiles(page, '[data-testid="drop-zone"]', [{ name, bytes }]);

/** Waits until the database holds `n` images and every one is ready (imports run in the background). */
async function waitForReady(n: number): Promise<ImageRowView[]> {
  await expect.poll(() => rows().filter((r) => r.status === 'ready').length, { timeout: 120_000, interval: 250 }).toBe(n);
  await expect.poll(async () => page.locator('[data-testid^="image-item-"][data-status="ready"]').count(), { timeout: 30_000 }).toBe(n);
  await expect.poll(() => page.getByTestId('import-busy').count(), { timeout: 60_000 }).toBe(0);
  return rows();
}

async function select(id: number): Promise<void> {
  await page.getByTestId(`image-item-${id}`).locator('button').first().click();
  await page.waitForFunction((want) => document.querySelector('[data-testid="image-details"]')?.getAttribute('data-image-id') === String(want), id);
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-ingest-e2e-', projectName: 'Ingestion study' }));
  await createProjectInUi(page, served.url, projectDir);
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('multi-page files', () => {
  it('"Every page" imports one image per page, each saying which page it is', async () => {
    await drop('stack.tif', encodeTestTiff([grayPage(1), grayPage(2), grayPage(3)]));
    const prompt = page.getByTestId('pages-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/stack\.tif\s*· 3 pages/);
    await page.screenshot({ path: join(screenshotDir, 'ingestion-pages-prompt.png') });
    await page.getByTestId('pages-each').click();
    const imported = await waitForReady(3);
    expect(imported.map((r) => [r.name, r.source_page])).toEqual([
      ['stack.tif · page 1/3', 0],
      ['stack.tif · page 2/3', 1],
      ['stack.tif · page 3/3', 2],
    ]);
    expect(await page.getByTestId(`image-item-${imported[1]!.id}`).textContent()).toContain('stack.tif · page 2/3');
  });

  it('Escape cancels the drop; "First page only" imports page 1 with a notice that says the others were left out', async () => {
    const pairBytes = encodeTestTiff([grayPage(4), grayPage(5)]);
    await drop('pair.tif', pairBytes);
    await page.getByTestId('pages-prompt').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('pages-prompt').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('import-busy').count(), { timeout: 30_000 }).toBe(0);
    expect(rows()).toHaveLength(3);

    await drop('pair.tif', pairBytes);
    await page.getByTestId('pages-prompt').waitFor();
    await page.getByTestId('pages-first').click();
    const after = await waitForReady(4);
    const pair = after.filter((r) => r.name.startsWith('pair.tif'));
    expect(pair.map((r) => [r.name, r.source_page])).toEqual([['pair.tif · page 1/2', 0]]);
    expect(await page.getByTestId(`image-item-${pair[0]!.id}`).textContent()).toMatch(/first of its 2 pages only/);
  });
});

describe('duplicates', () => {
  const single = encodeTestTiff([grayPage(9)]);

  it('asks nothing the first time, then "Skip" adds no row and says why', async () => {
    await drop('single.tif', single);
    const before = await waitForReady(5);
    await drop('single again.tif', single);
    const prompt = page.getByTestId('duplicate-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/single again\.tif\s*has the same pixels as image \d+ \("single\.tif"\)/);
    await page.screenshot({ path: join(screenshotDir, 'ingestion-duplicate-prompt.png') });
    await page.getByTestId('duplicate-skip').click();
    await page.getByTestId('import-skipped').first().waitFor();
    expect(await page.getByTestId('import-skipped').first().textContent()).toMatch(/already in this project as image \d+ \("single\.tif"\): skipped/);
    await expect.poll(() => page.getByTestId('import-busy').count(), { timeout: 60_000 }).toBe(0);
    expect(rows()).toEqual(before);
  });

  it('"Import anyway" adds the copy as a new image', async () => {
    await drop('single copy.tif', single);
    await page.getByTestId('duplicate-prompt').waitFor();
    await page.getByTestId('duplicate-import').click();
    const after = await waitForReady(6);
    expect(after.at(-1)!.name).toBe('single copy.tif');
  });
});

describe('a moved original', () => {
  it('is reported missing, refuses a file with other pixels, and relinks to the moved file', async () => {
    const image = rows().find((r) => r.name === 'single.tif')!;
    await select(image.id);
    expect(await page.getByTestId('source-status').getAttribute('data-missing')).toBe('false');

    // The upload's copy lives in the project's sources/: move it away, then come back to the window.
    const moved = join(workDir, 'moved', 'single.tif');
    await mkdir(join(workDir, 'moved'));
    await rename(join(projectDir, image.source_path), moved);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.waitForSelector('[data-testid="source-status"][data-missing="true"]');
    expect(await page.getByTestId('source-status').textContent()).toMatch(/missing/);
    expect(await page.getByTestId(`image-item-${image.id}`).getByTestId('image-source-missing').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'ingestion-source-missing.png') });

    const other = join(workDir, 'other.tif');
    writeTestTiff(other, [grayPage(10)]);
    await page.getByTestId('relink-start').click();
    await page.getByTestId('relink-path').fill(other);
    await page.getByTestId('relink-submit').click();
    await page.getByTestId('relink-error').waitFor();
    expect(await page.getByTestId('relink-error').textContent()).toMatch(/does not hold the same pixels as image \d+ \("single\.tif"\): not re-linked/);
    expect(rows().find((r) => r.id === image.id)!.source_path).toBe(image.source_path);

    await page.getByTestId('relink-path').fill(moved);
    await page.getByTestId('relink-submit').click();
    await page.waitForSelector('[data-testid="source-status"][data-missing="false"]');
    expect(await page.getByTestId('relink-error').count()).toBe(0);
    expect(rows().find((r) => r.id === image.id)!.source_path).toBe(moved);
    expect(await page.getByTestId(`image-item-${image.id}`).getByTestId('image-source-missing').count()).toBe(0);
  });
});

describe('pixel size', () => {
  it('is stored as typed (µm or nm per pixel) and the scale bar follows it', async () => {
    const image = rows().find((r) => r.name === 'single.tif')!;
    await select(image.id);
    await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, image.id);
    expect(await page.getByTestId('pixel-size-value').textContent()).toBe('unknown');
    expect(await page.getByTestId('scale-bar').count()).toBe(0);
    // At 100 % a 120-px bar spans 120 pixels: 60 µm at 0.5 µm/px → a 50 µm bar; 240 nm at 2 nm/px → 200 nm.
    await page.evaluate(() => window.__micraViewer!.setView(320, 240, 1));

    await page.getByTestId('pixel-size-edit').click();
    await page.getByTestId('pixel-size-input').fill('0,5');
    await page.getByTestId('pixel-size-unit').selectOption('µm');
    await page.getByTestId('pixel-size-save').click();
    await page.waitForSelector('[data-testid="scale-bar"]');
    expect(await page.getByTestId('pixel-size-value').textContent()).toBe('0.5 µm/px');
    expect(rows().find((r) => r.id === image.id)!.pixel_size_nm).toBe(500);
    expect((await page.getByTestId('scale-bar').textContent())?.trim()).toBe('50 µm');
    // The readout on the image: the pixel under the cursor, its centre in µm, its stored value.
    const state = await page.evaluate(() => window.__micraViewer!.getState());
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    await page.mouse.move(box.x + state.originX + (100 + 0.5) * state.scale, box.y + state.originY + (50 + 0.5) * state.scale);
    const value = (100 * 3 + 50 * 5 + 9 * 41 + ((100 >> 4) ^ (50 >> 4)) * 9) & 255;
    await expect.poll(() => page.getByTestId('on-image-cursor').textContent()).toBe(`x 100, y 50 · x 50.25 µm, y 25.25 µm · value ${value}`);
    await page.screenshot({ path: join(screenshotDir, 'ingestion-pixel-size.png') });

    await page.getByTestId('pixel-size-edit').click();
    await page.getByTestId('pixel-size-unit').selectOption('nm');
    await page.getByTestId('pixel-size-input').fill('abc');
    await page.getByTestId('pixel-size-save').click();
    expect(await page.getByTestId('pixel-size-error').textContent()).toMatch(/not a number/);
    await page.getByTestId('pixel-size-input').fill('2');
    await page.getByTestId('pixel-size-save').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="scale-bar"]')?.textContent?.trim() === '200 nm');
    expect(rows().find((r) => r.id === image.id)!.pixel_size_nm).toBe(2);

    await page.getByTestId('pixel-size-edit').click();
    await page.getByTestId('pixel-size-clear').click();
    await page.waitForSelector('[data-testid="scale-bar"]', { state: 'detached' });
    expect(rows().find((r) => r.id === image.id)!.pixel_size_nm).toBeNull();
  });
});
