// Issue 12: switching between the project's screens never breaks the app. While a sweep of a
// generated SEM image runs, every ordered pair of the ModeBar's modes (view, label, train, review,
// measure) is switched once — each mode is left for every other one — with no page error and no
// console error, and every time a mode with a viewer comes back its viewer draws the image.
// Screenshots: test-output/e2e/mode-switch-*.png.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_MODES, type ProjectMode } from '../../src-renderer/training/projectMode';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { captureCanvas, waitForTiles } from './support/canvasPixels';
import { defaultModelOrFixture, endE2eSession, screenshotDir, startE2eSession } from './support/e2eSession';
import { createProjectInUi, dropImageAndWaitReady } from './support/projectSteps';
import type { ServedApp } from './support/servedApp';
import { projectRows } from './support/projectRows';

/** 4,096² in crops of 256: 256 crops, enough that the sweep outlasts every switch below. */
const SIDE = 4096;
/** The modes that show the image in a viewer. */
const WITH_VIEWER: readonly ProjectMode[] = ['view', 'review', 'measure'];

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let imageId: number;
const pageErrors: string[] = [];
let restoreDefaultModel: () => void = () => undefined;

function db<T>(sql: string, ...args: unknown[]): T[] {
  return projectRows<T>(projectDir, sql, ...args);
}

function sweepStatus(): string | undefined {
  return db<{ status: string }>('SELECT status FROM sweep_runs WHERE image_id = ? ORDER BY id DESC LIMIT 1', imageId)[0]?.status;
}

/** Every ordered pair of modes exactly once, as one walk starting and ending at `start`. */
function everyOrderedPair(modes: readonly ProjectMode[], start: ProjectMode): ProjectMode[] {
  // Hierholzer's walk on the complete directed graph: each node has an edge to every other.
  const unused = new Map(modes.map((m) => [m, modes.filter((n) => n !== m)]));
  const stack: ProjectMode[] = [start];
  const walk: ProjectMode[] = [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = unused.get(top)!.shift();
    if (next === undefined) walk.push(stack.pop()!);
    else stack.push(next);
  }
  return walk.reverse();
}

/** Waits until the screen of `mode` is up (its own root element, and the others gone). */
async function waitForMode(mode: ProjectMode): Promise<void> {
  const root: Record<ProjectMode, string> = { view: 'viewer-canvas', label: 'label-view', train: 'training-screen', review: 'review-panel', measure: 'measure-mode', overview: 'overview' };
  await page.getByTestId(root[mode]).waitFor();
  expect(await page.getByTestId(`mode-${mode}`).getAttribute('aria-pressed')).toBe('true');
  if (mode === 'view') expect(await page.getByTestId('review-mode').count()).toBe(0);
}

/** The viewer shows our image, every visible tile is drawn, and the canvas holds its pixels. */
async function expectViewerDrawsImage(label: string): Promise<void> {
  await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, imageId, { timeout: 30_000 });
  await waitForTiles(page);
  const shot = await captureCanvas(page);
  // The background is #1b1d21; the SEM image is gray with texture: count pixels that are neither.
  let image = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < shot.gray.length; i++) {
    const [r, g, b] = [shot.rgb[i * 3]!, shot.rgb[i * 3 + 1]!, shot.rgb[i * 3 + 2]!];
    const background = Math.abs(r - 0x1b) + Math.abs(g - 0x1d) + Math.abs(b - 0x21) < 6;
    if (!background) image++;
    sum += r;
    sumSq += r * r;
  }
  const n = shot.gray.length;
  const std = Math.sqrt(sumSq / n - (sum / n) ** 2);
  if (image / n < 0.3 || std < 8) await page.screenshot({ path: join(screenshotDir, `mode-switch-blank-${label}.png`) });
  expect(image / n, `${label}: share of the canvas showing the image`).toBeGreaterThan(0.3);
  expect(std, `${label}: texture of the drawn pixels`).toBeGreaterThan(8);
}

/** Switches every ordered pair of modes once, from `start` back to it, checking each screen. */
async function switchEveryPair(start: ProjectMode): Promise<void> {
  const modes = PROJECT_MODES.map((m) => m.mode);
  const walk = everyOrderedPair(modes, start);
  let switches = 0;
  for (const [i, mode] of walk.entries()) {
    if (i === 0) continue;
    const from = walk[i - 1]!;
    await page.getByTestId(`mode-${mode}`).click();
    await waitForMode(mode);
    switches++;
    if (WITH_VIEWER.includes(mode)) await expectViewerDrawsImage(`${from}-to-${mode}`);
    if (mode === 'train') await page.getByTestId(`split-${imageId}`).waitFor();
    if (mode === 'label') await expect.poll(() => page.locator('[data-testid="crop-cell"]').count()).toBeGreaterThan(0);
    expect(pageErrors, `after ${from} → ${mode}`).toEqual([]);
  }
  expect(switches).toBe(modes.length * (modes.length - 1));
}

function trainStatus(): string | undefined {
  return db<{ status: string }>("SELECT status FROM jobs WHERE kind = 'train' ORDER BY id DESC LIMIT 1")[0]?.status;
}

beforeAll(async () => {
  restoreDefaultModel = defaultModelOrFixture();
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-modes-e2e-', projectName: 'Mode study', viewport: { width: 1400, height: 860 } }));
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
});

afterAll(async () => {
  restoreDefaultModel();
  await endE2eSession({ browser, served, workDir });
});

describe('mode switches in Chromium', () => {
  it('walks every ordered pair of modes once', () => {
    const modes = PROJECT_MODES.map((m) => m.mode);
    const walk = everyOrderedPair(modes, 'view');
    const pairs = new Set(walk.slice(1).map((m, i) => `${walk[i]}→${m}`));
    expect(walk).toHaveLength(modes.length * (modes.length - 1) + 1);
    expect(pairs.size).toBe(modes.length * (modes.length - 1));
  });

  it('switches between every pair of modes while a sweep runs, without an error or a blank viewer', async () => {
    await createProjectInUi(page, served.url, projectDir);
    const tiff = join(workDir, 'sem-large.tif');
    await writeSemTiff(tiff, generateSemTile({ width: SIDE, height: SIDE, seed: 23, markerCount: 12 }));
    await dropImageAndWaitReady(page, 'sem-large.tif', await readFile(tiff));
    imageId = db<{ id: number }>('SELECT id FROM images')[0]!.id;
    await page.getByTestId(`image-item-${imageId}`).locator('button').first().click();
    // Label and Train need a class to show their full screens.
    await page.getByTestId('mode-label').click();
    await page.getByTestId('new-class-name').fill('Marker');
    await page.getByTestId('new-class-create').click();
    await page.getByTestId('label-counts').getByText('Marker').waitFor();

    // From here on every error counts (the import's thumbnail requests before the pyramid is
    // ready, and the browser's favicon request, answer 404 and are not this test's subject).
    pageErrors.length = 0;
    await page.getByTestId('mode-review').click();
    await page.getByTestId('sweep-start').click();
    await page.locator('[data-testid="sweep-status"][data-status="running"]').waitFor({ timeout: 60_000 });
    await expectViewerDrawsImage('review-start');

    await switchEveryPair('review');
    // Every switch happened while the sweep was still running.
    expect(sweepStatus(), 'the sweep ended before the switches did: use a larger image').toBe('running');
    await page.screenshot({ path: join(screenshotDir, 'mode-switch-review.png') });

    // Quick back-and-forth without waiting for anything to settle, then the viewer still draws.
    for (let round = 0; round < 3; round++) {
      for (const m of ['view', 'review', 'label', 'measure', 'train', 'review', 'measure', 'view'] as const) await page.getByTestId(`mode-${m}`).click();
    }
    await waitForMode('view');
    await expectViewerDrawsImage('rapid-to-view');
    await page.getByTestId('mode-review').click();
    await waitForMode('review');
    await expectViewerDrawsImage('rapid-to-review');
    expect(pageErrors).toEqual([]);

    await page.getByTestId('sweep-cancel').click();
    await expect.poll(sweepStatus, { timeout: 60_000 }).not.toBe('running');
  }, 400_000);

  it('switches between every pair of modes while a training runs', async () => {
    // A few labels of both kinds on the training split, then a run long enough to outlast the walk.
    await page.getByTestId('mode-label').click();
    for (const key of ['y', 'n', 'y', 'n', 'n', 'y']) {
      await page.locator('[data-testid="crop-cell"][data-focused="true"][data-drawn="true"]').waitFor();
      await page.keyboard.press(key);
    }
    await expect.poll(() => db<{ n: number }>("SELECT count(*) AS n FROM decisions WHERE target_kind = 'crop' AND action = 'label'")[0]!.n).toBe(6);
    await page.getByTestId('mode-train').click();
    await page.getByTestId(`split-${imageId}`).selectOption('train');
    await page.getByTestId('param-epochs').fill('50');
    await page.getByTestId('param-batch').fill('6');
    await page.getByTestId('param-pu-ratio').selectOption('0');
    await page.getByTestId('param-name').fill('mode switches');
    await page.getByTestId('training-start').click();
    await page.locator('[data-testid="training-progress"][data-status="running"]').waitFor({ timeout: 120_000 });

    await switchEveryPair('train');
    expect(trainStatus(), 'the training ended before the switches did').toBe('running');
    // Back on Train, the run in progress is followed again.
    await page.locator('[data-testid="training-progress"][data-status="running"]').waitFor();
    await page.getByTestId('training-cancel').click();
    expect(pageErrors).toEqual([]);
  }, 400_000);
});
