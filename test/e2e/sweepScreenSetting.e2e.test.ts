// The "Screen crops first" setting (issue #19) in Chromium, served mode. With the default model
// and its distilled screen (a copy of models/default in a scratch folder, given as the app's
// default through MICRA_DEFAULT_MODEL), the Review screen shows the setting on; turned off, a sweep
// of the image records a run that did not use the screen; turned on again, the next one did (the
// sweep_runs rows in project.sqlite, and the run line's "screened"). The setting is stored in the
// project. With a default model that has no screen, the setting says "(this model has no screen)";
// with one whose screen is damaged, the run says why it did not use it.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { endE2eSession, openProjectInPage, screenshotDir, startE2eSession } from './support/e2eSession';
import { createProjectInUi, dropImageAndWaitReady } from './support/projectSteps';
import { repoRoot, startServedApp, type ServedApp } from './support/servedApp';
import { projectRows } from './support/projectRows';

const DEFAULT_MODEL = join(repoRoot, 'models', 'default');

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
/** Scratch copies of the default model: as installed (with its screen), and without a screen. */
let modelsDir: string;
let withScreen: string;
let withoutScreen: string;
const savedDefault = process.env.MICRA_DEFAULT_MODEL;

function db<T>(sql: string, ...args: unknown[]): T[] {
  return projectRows<T>(projectDir, sql, ...args);
}

const runs = () => db<{ id: number; status: string; screen: number }>('SELECT id, status, screen FROM sweep_runs ORDER BY id');
const storedSetting = () => db<{ value: string }>("SELECT value FROM settings WHERE key = 'sweepScreen'")[0]?.value;

/** Sweeps the open image from the Review screen and returns its new run, once done. */
async function sweepOnce(): Promise<{ id: number; status: string; screen: number }> {
  const before = runs().length;
  await page.getByTestId('sweep-start').click();
  await expect.poll(() => runs().length, { timeout: 60_000 }).toBe(before + 1);
  const id = runs().at(-1)!.id;
  await expect.poll(() => runs().at(-1)!.status, { timeout: 180_000 }).toBe('done');
  await page.locator('[data-testid="sweep-status"][data-status="done"]').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('sweep-mask-method').textContent()).toContain(`run ${id} `);
  return runs().at(-1)!;
}

/** Serves the project again with `modelDir` as the default model, and opens its image in Review. */
async function reviewWithDefaultModel(modelDir: string): Promise<void> {
  await served.stop();
  served = await startServedApp([], { MICRA_DEFAULT_MODEL: join(modelDir, 'manifest.json') });
  await openProjectInPage({ page, served, projectDir });
  await page.locator('[data-testid^="image-item-"]').first().locator('button').first().click();
  await page.getByTestId('mode-review').click();
  await page.getByTestId('review-panel').waitFor();
}

beforeAll(async () => {
  if (!existsSync(join(DEFAULT_MODEL, 'screen', 'manifest.json'))) throw new Error(`this test needs the default model with its screen: ${DEFAULT_MODEL}`);
  modelsDir = mkdtempSync(join(tmpdir(), 'micra-screen-models-'));
  withScreen = join(modelsDir, 'with-screen');
  cpSync(DEFAULT_MODEL, withScreen, { recursive: true });
  withoutScreen = join(modelsDir, 'without-screen');
  cpSync(DEFAULT_MODEL, withoutScreen, { recursive: true, filter: (src) => !src.startsWith(join(DEFAULT_MODEL, 'screen')) });
  const manifest = JSON.parse(readFileSync(join(withoutScreen, 'manifest.json'), 'utf8')) as { card: Record<string, unknown> };
  delete manifest.card['screen'];
  writeFileSync(join(withoutScreen, 'manifest.json'), JSON.stringify(manifest));
  // The served app (a child process) reads its default model from its environment.
  process.env.MICRA_DEFAULT_MODEL = join(withScreen, 'manifest.json');
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-screen-e2e-', projectName: 'Screen study', viewport: { width: 1600, height: 900 } }));
});

afterAll(async () => {
  if (savedDefault === undefined) delete process.env.MICRA_DEFAULT_MODEL;
  else process.env.MICRA_DEFAULT_MODEL = savedDefault;
  await endE2eSession({ browser, served, workDir });
  if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
});

describe('"Screen crops first" in Chromium', () => {
  it('shows on the Review screen; off, a sweep does not use the screen; on, it does', async () => {
    await createProjectInUi(page, served.url, projectDir);
    const tiff = join(workDir, 'sem.tif');
    await writeSemTiff(tiff, generateSemTile({ width: 512, height: 512, seed: 8, markerCount: 3 }));
    await dropImageAndWaitReady(page, 'sem.tif', await readFile(tiff));
    await page.locator('[data-testid^="image-item-"]').first().locator('button').first().click();
    await page.getByTestId('mode-review').click();
    await page.getByTestId('review-panel').waitFor();

    // On by default, for a model that has a screen: no "no screen" note.
    const toggle = page.getByTestId('sweep-screen-toggle');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    expect(await page.getByTestId('sweep-screen-none').count()).toBe(0);
    expect(await page.getByTestId('sweep-controls').textContent()).toContain('Screen crops first');

    // Off: the project stores it, and the sweep scores every crop with the full model.
    await toggle.uncheck();
    await expect.poll(storedSetting).toBe('false');
    expect(await toggle.isChecked()).toBe(false);
    const off = await sweepOnce();
    expect(off.screen).toBe(0);
    expect(await page.getByTestId('sweep-mask-method').textContent()).not.toContain('screened');

    // On again: the next sweep screens its crops first.
    await toggle.check();
    await expect.poll(storedSetting).toBe('true');
    const on = await sweepOnce();
    expect(on.screen).toBe(1);
    expect(await page.getByTestId('sweep-mask-method').textContent()).toContain('screened');
    // The image list follows: the run is done, not "sweeping".
    await expect.poll(() => page.getByTestId('image-sweep').first().textContent(), { timeout: 5_000 }).toBe('swept');
    await page.screenshot({ path: join(screenshotDir, 'sweep-screen-setting.png') });
    expect(runs().map((r) => [r.status, r.screen])).toEqual([
      ['done', 0],
      ['done', 1],
    ]);

    // The setting belongs to the project: a reload shows it as left.
    await toggle.uncheck();
    await expect.poll(storedSetting).toBe('false');
    await page.reload();
    await page.getByTestId('review-panel').waitFor({ timeout: 30_000 }).catch(async () => {
      await page.getByTestId('mode-review').click();
      await page.getByTestId('review-panel').waitFor();
    });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
  }, 420_000);

  it('says "(this model has no screen)" when the model in use has none', async () => {
    // The same project, served with a default model that has no screen.
    await reviewWithDefaultModel(withoutScreen);
    const none = page.getByTestId('sweep-screen-none');
    await none.waitFor();
    expect(await none.textContent()).toBe('(this model has no screen)');
    // (That such a model's sweeps never screen is sweepScreen.test.ts's to show.)
  }, 120_000);

  it('says beside the run why a damaged screen was not used, and the run records that it was not', async () => {
    // The default model with half of one screen weights file: what an interrupted copy leaves.
    const damaged = join(modelsDir, 'damaged-screen');
    cpSync(withScreen, damaged, { recursive: true });
    const victim = readdirSync(join(damaged, 'screen')).find((f) => f.endsWith('.f32'))!;
    const bytes = readFileSync(join(damaged, 'screen', victim));
    writeFileSync(join(damaged, 'screen', victim), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await reviewWithDefaultModel(damaged);
    const toggle = page.getByTestId('sweep-screen-toggle');
    await toggle.waitFor();
    await toggle.check();
    await expect.poll(storedSetting).toBe('true');
    const run = await sweepOnce();
    expect(run.screen).toBe(0);
    const notice = page.getByTestId('sweep-screen-notice');
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain("The model's screen cannot be used");
    expect(text).toContain(victim);
    expect(text).toContain('every crop went through the full model');
    expect(db<{ screen_notice: string }>('SELECT screen_notice FROM sweep_runs WHERE id = ?', run.id)[0]?.screen_notice).toBe(text);
    expect(await page.getByTestId('sweep-mask-method').textContent()).not.toContain('screened');
    await expect.poll(() => page.getByTestId('image-sweep').first().textContent(), { timeout: 5_000 }).toBe('swept');
    await page.screenshot({ path: join(screenshotDir, 'sweep-screen-damaged.png') });
  }, 300_000);
});
