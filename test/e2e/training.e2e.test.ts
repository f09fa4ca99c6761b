// Issue 6's loop as a user does it in Chromium: import a synthetic SEM image, label crops with
// the keys (checking the decision log, the labels and the on-screen counts), undo one, train a
// tiny model from the panel and watch the progress and the loss plot, see the model in the
// list, evaluate it and save a threshold, cancel a second run mid-epoch ("cancelling…" at once,
// ended within 5 s, epoch 1's checkpoint kept as the model); after a reload, labels, counts and
// the model remain.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSemTile, writeSemTiff, type SemTile } from '../generators/sem';
import { createProjectInUi, dropImageAndWaitReady } from './support/projectSteps';
import { endE2eSession, startE2eSession } from './support/e2eSession';
import type { ServedApp } from './support/servedApp';
import { dbRows, screenshotDir } from './support/viewerProject';

const WIDTH = 768;
const HEIGHT = 512;
const CROP = 256;

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let sem: SemTile;
let imageId: number;
let classId: number;
let modelId: number;

const rows = <T>(sql: string): T[] => dbRows<T>(projectDir, sql);
const text = async (testId: string): Promise<string> => ((await page.getByTestId(testId).textContent()) ?? '').trim();
const counts = async (): Promise<[string, string, string]> => [
  await text(`count-${classId}-present`),
  await text(`count-${classId}-absent`),
  await text(`count-${classId}-skip`),
];

/** Current labels of the image's crops, by position. */
function labelRows(): { x: number; y: number; value: string }[] {
  return rows<{ x: number; y: number; value: string }>(
    `SELECT c.x, c.y, l.value FROM labels l JOIN crops c ON c.id = l.crop_id WHERE l.class_id = ${classId} ORDER BY c.y, c.x`,
  );
}

/** Pixels of the loss plot's canvas close to the train series colour (#4aa3ff). */
async function trainSeriesPixels(): Promise<number> {
  return page.getByTestId('plot-loss').locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 74) < 12 && Math.abs(d[i + 1]! - 163) < 12 && Math.abs(d[i + 2]! - 255) < 12) n++;
    return n;
  });
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-training-e2e-', projectName: 'Training study' }));
  sem = generateSemTile({ width: WIDTH, height: HEIGHT, seed: 11, markerCount: 3 });
  await writeSemTiff(join(workDir, 'sem.tif'), sem);
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('training UI in Chromium', () => {
  it('imports a synthetic SEM image and opens the crop grid at the default crop size', async () => {
    await createProjectInUi(page, served.url, projectDir);
    await dropImageAndWaitReady(page, 'sem.tif', await readFile(join(workDir, 'sem.tif')));
    imageId = rows<{ id: number }>('SELECT id FROM images')[0]!.id;

    await page.getByTestId('mode-label').click();
    await page.getByTestId('new-class-name').fill('Axon DAB');
    await page.getByTestId('new-class-create').click();
    await page.getByTestId('label-counts').getByText('Axon DAB').waitFor();
    classId = rows<{ id: number }>("SELECT id FROM classes WHERE name = 'Axon DAB'")[0]!.id;

    // 768 × 512 in crops of 256: 3 × 2, none of them background.
    const cells = page.getByTestId('crop-cell');
    await expect.poll(() => cells.count()).toBe(6);
    await expect.poll(() => page.locator('[data-testid="crop-cell"][data-drawn="true"]').count(), { timeout: 30_000 }).toBe(6);
    expect(await cells.evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-x')), Number(e.getAttribute('data-y'))]))).toEqual([
      [0, 0], [256, 0], [512, 0], [0, 256], [256, 256], [512, 256],
    ]);
    // The crop at (256, 256) shows the source's grey levels at 1:1 (identity display).
    const drawn = await cells.nth(4).locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return { w: c.width, h: c.height, gray: Array.from({ length: c.width * c.height }, (_, i) => d[i * 4]!) };
    });
    expect([drawn.w, drawn.h]).toEqual([CROP, CROP]);
    let mismatched = 0;
    for (let y = 0; y < CROP; y++) for (let x = 0; x < CROP; x++) if (drawn.gray[y * CROP + x] !== sem.pixels[(256 + y) * WIDTH + 256 + x]) mismatched++;
    expect(mismatched).toBe(0);
  });

  it('labels crops with one key each, writes every decision at once, and undoes with Z', async () => {
    for (const key of ['y', 'n', 's', '1', '0']) await page.keyboard.press(key);
    await expect.poll(counts).toEqual(['2', '2', '1']);
    expect(labelRows()).toEqual([
      { x: 0, y: 0, value: 'present' },
      { x: 256, y: 0, value: 'absent' },
      { x: 512, y: 0, value: 'skip' },
      { x: 0, y: 256, value: 'present' },
      { x: 256, y: 256, value: 'absent' },
    ]);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM decisions WHERE target_kind = 'crop' AND action = 'label'")[0]!.n).toBe(5);
    await expect.poll(() => page.locator('[data-testid="crop-cell"][data-value="present"]').count()).toBe(2);

    await page.keyboard.press('z');
    await expect.poll(counts).toEqual(['2', '1', '1']);
    expect(labelRows()).toHaveLength(4);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM decisions WHERE action = 'undo'")[0]!.n).toBe(1);
    // Focus returns to the undone crop: the next keys relabel it, then label the last crop.
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await expect.poll(counts).toEqual(['2', '3', '1']);
    expect(labelRows().map((r) => r.value)).toEqual(['present', 'absent', 'skip', 'present', 'absent', 'absent']);
    await page.screenshot({ path: join(screenshotDir, 'training-label-crops.png') });
  });

  it('trains a tiny model from the panel with live progress and a loss plot', async () => {
    await page.getByTestId('mode-train').click();
    await page.getByTestId(`split-${imageId}`).selectOption('train');
    await expect.poll(() => text(`stat-${classId}-train-present`)).toBe('2');
    // The only image is in train: the screen says validation and test have no labels, and why it matters.
    await expect.poll(() => page.getByTestId('dataset-split-warning').allTextContents()).toEqual([
      expect.stringMatching(/^The validation split has no labels: the best epoch is then chosen on the training loss.*no image is in the validation split/),
      expect.stringMatching(/^The test split has no labels: the model card will have no test figures/),
    ]);
    await page.getByTestId('param-epochs').fill('1');
    await page.getByTestId('param-batch').fill('6');
    await page.getByTestId('param-pu-ratio').selectOption('0');
    await page.getByTestId('param-name').fill('tiny e2e');
    await page.getByTestId('training-start').click();
    await page.getByTestId('training-progress').waitFor();
    await expect.poll(() => page.getByTestId('training-progress').getAttribute('data-status'), { timeout: 330_000, interval: 500 }).toBe('done');
    await expect.poll(() => page.getByTestId('plot-loss').getAttribute('data-points')).toBe('1');
    await expect.poll(trainSeriesPixels).toBeGreaterThan(5);

    const models = rows<{ id: number; name: string; status: string; card: string }>('SELECT id, name, status, card FROM models');
    expect(models).toHaveLength(1);
    modelId = models[0]!.id;
    expect(models[0]).toMatchObject({ name: 'tiny e2e', status: 'ready' });
    expect(JSON.parse(models[0]!.card)).toMatchObject({ classes: ['Axon DAB'], inputSize: CROP });
    await expect.poll(() => page.getByTestId(`model-${modelId}`).getAttribute('data-status')).toBe('ready');
    await expect.poll(() => text('model-fact-epochs')).toMatch(/^1/);
    await page.screenshot({ path: join(screenshotDir, 'training-panel.png') });
    // A shared 2-core machine can make even one tiny epoch slow: this test gets its own limit.
  }, 400_000);

  it('evaluates the model, picks the max-F1 threshold on the PR curve and saves it', async () => {
    await page.getByTestId('evaluation-split').selectOption('train');
    await page.getByTestId('evaluation-run').click();
    await page.getByTestId('evaluation-accuracy').waitFor({ timeout: 120_000 });
    await expect.poll(async () => Number(await page.getByTestId('pr-plot').getAttribute('data-points'))).toBeGreaterThan(0);
    await page.getByTestId('threshold-max-f1').click();
    const chosen = Number(await text('threshold-value'));
    await page.getByTestId('threshold-save').click();
    await expect
      .poll(() => (JSON.parse(rows<{ card: string }>(`SELECT card FROM models WHERE id = ${modelId}`)[0]!.card) as { classThresholds: number[] }).classThresholds[0])
      .toBeCloseTo(chosen, 3);
    // The card shows the saved threshold, and the evaluation stays on screen.
    await expect.poll(() => text('model-fact-classes')).toBe(`Axon DAB (t = ${chosen.toFixed(2)})`);
    expect(await page.getByTestId('pr-plot').isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'training-evaluation.png') });
  });

  it('cancels a running training mid-epoch: "cancelling…" at once, ended within 5 s, the best checkpoint kept', async () => {
    await page.getByTestId('param-epochs').fill('3');
    await page.getByTestId('param-name').fill('cancelled run');
    await page.getByTestId('training-start').click();
    await page.locator('[data-testid="training-progress"][data-status="running"]').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('training-eta').textContent()).toMatch(/^ETA /);
    const run = () => rows<{ id: number; status: string }>("SELECT id, status FROM models WHERE name = 'cancelled run'")[0];
    // Cancel once epoch 1 is in the database: epoch 2's only step (6 crops of 256²) is then
    // under way, a step that takes many seconds on a CPU and reads no messages.
    await expect.poll(() => rows<{ n: number }>(`SELECT count(*) AS n FROM training_epochs WHERE model_id = ${run()?.id ?? 0}`)[0]!.n, { timeout: 330_000, interval: 250 }).toBe(1);

    // Watch the panel from inside the page: when "cancelling…" first shows and when the job ends.
    await page.evaluate(() => {
      const w = window as unknown as { cancelWatch: { clicked: number; cancellingAt: number | null; endedAt: number | null } };
      w.cancelWatch = { clicked: performance.now(), cancellingAt: null, endedAt: null };
      const look = (): void => {
        const progress = document.querySelector('[data-testid="training-progress"]');
        const status = document.querySelector('[data-testid="training-status"]')?.textContent?.trim();
        if (w.cancelWatch.cancellingAt === null && status === 'cancelling…') w.cancelWatch.cancellingAt = performance.now();
        if (w.cancelWatch.endedAt === null && progress?.getAttribute('data-status') === 'cancelled') w.cancelWatch.endedAt = performance.now();
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      (document.querySelector('[data-testid="training-cancel"]') as HTMLButtonElement).click();
      look();
    });
    await page.getByTestId('training-status').filter({ hasText: 'cancelling…' }).or(page.locator('[data-testid="training-progress"][data-status="cancelled"]')).first().waitFor();
    await page.screenshot({ path: join(screenshotDir, 'training-cancelling.png') });
    await expect.poll(() => page.getByTestId('training-progress').getAttribute('data-status'), { timeout: 60_000, interval: 100 }).toBe('cancelled');
    const watch = await page.evaluate(() => (window as unknown as { cancelWatch: { clicked: number; cancellingAt: number; endedAt: number } }).cancelWatch);
    // "cancelling…" from the click (same frame) until the end; the run ended within 5 s of the click.
    expect(watch.cancellingAt - watch.clicked).toBeLessThan(100);
    expect(watch.endedAt).toBeGreaterThan(watch.cancellingAt);
    console.log(`training cancel: "cancelling…" after ${(watch.cancellingAt - watch.clicked).toFixed(0)} ms, ended after ${(watch.endedAt - watch.clicked).toFixed(0)} ms`);
    expect(watch.endedAt - watch.clicked).toBeLessThan(5_000);
    expect(await text('training-status')).toBe('cancelled');

    expect(rows<{ status: string }>("SELECT status FROM jobs WHERE kind = 'train' ORDER BY id DESC LIMIT 1")[0]?.status).toBe('cancelled');
    await expect.poll(() => run()?.status, { timeout: 30_000 }).toBe('ready');
    const cancelled = run()!;
    expect(rows<{ outcome: string }>(`SELECT outcome FROM training_runs WHERE model_id = ${cancelled.id}`)[0]?.outcome).toBe('cancelled');
    expect(rows<{ epoch: number }>(`SELECT epoch FROM training_epochs WHERE model_id = ${cancelled.id}`)).toEqual([{ epoch: 1 }]);
    // The model is epoch 1's checkpoint; the cancelled epoch 2 left last/ at epoch 1.
    const dir = join(projectDir, rows<{ dir: string }>(`SELECT dir FROM models WHERE id = ${cancelled.id}`)[0]!.dir);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { card: { classes: string[] } };
    expect(manifest.card.classes).toEqual(['Axon DAB']);
    const last = JSON.parse(await readFile(join(dir, 'checkpoint', 'last', 'manifest.json'), 'utf8')) as { state: { epochsDone: number } };
    expect(last.state.epochsDone).toBe(1);
    await expect.poll(() => page.getByTestId(`model-${cancelled.id}`).getAttribute('data-status')).toBe('ready');
  }, 500_000);

  it('keeps labels, counts, the model and its curves after a reload', async () => {
    await page.reload();
    await page.getByTestId('training-screen').waitFor();
    await page.getByTestId(`model-${modelId}`).click();
    await expect.poll(() => page.getByTestId('plot-loss').getAttribute('data-points')).toBe('1');
    await page.getByTestId('mode-label').click();
    await expect.poll(counts).toEqual(['2', '3', '1']);
    await expect.poll(() => page.locator('[data-testid="crop-cell"][data-value="absent"]').count()).toBe(3);
  });
});
