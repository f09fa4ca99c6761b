// View mode shows what the sweeps and the review found (issue 17): after a sweep (a finished
// run with its crop scores, suggestions with masks, decisions), the View mode viewer draws the
// heat map, the masks in the review overlay colour and the suggestion boxes in their state's
// colour, and each layer toggle takes its pixels off the canvas again (back to the image's own
// values). Screenshot: test-output/e2e/view-layers.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK_COLOR, MASK_OPACITY } from '../../src-renderer/review/reviewOverlay';
import { STATUS_COLORS } from '../../src-renderer/viewer/overlayColors';
import { seedObjects } from '../integration/export/seedObjects';
import { captureCanvas, waitForTiles } from './support/canvasPixels';
import { endE2eSession, screenshotDir } from './support/e2eSession';
import { openPatternProject, type PatternProject } from './support/patternProject';
import { patternPixel } from './support/viewerProject';

let s: PatternProject;

/** The screen colour of image pixel (x, y) at 1:1. */
async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const st = await page.evaluate(() => window.__micraViewer!.getState());
  const shot = await captureCanvas(page);
  const i = ((st.originY + y) * shot.width + st.originX + x) * 3;
  return [shot.rgb[i]!, shot.rgb[i + 1]!, shot.rgb[i + 2]!];
}

const gray = (x: number, y: number): [number, number, number] => {
  const v = patternPixel(x, y);
  return [v, v, v];
};

async function toggle(page: Page, layer: string, on: boolean): Promise<void> {
  await page.getByTestId(`layer-${layer}`).setChecked(on);
  await waitForTiles(page);
}

const near = (a: readonly number[], b: readonly number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

beforeAll(async () => {
  s = await openPatternProject({
    tmpPrefix: 'micra-view-layers-e2e-',
    width: 1024,
    height: 768,
    seed: (store, imageId) => {
      const seeded = seedObjects(store, imageId);
      // The run a sweep leaves: every crop of a 4 × 3 grid scored.
      const model = store.models.list().find((m) => m.name === 'seed')!;
      const runs = store.sweepRuns;
      const run = runs.create({ imageId, modelId: model.id, classId: seeded[0]!.classId, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 3 });
      for (let col = 0; col < 4; col++) for (let row = 0; row < 3; row++) runs.recordCrop(run.id, { col, row, score: 0.6 });
      runs.finish(run.id, 'done', null);
    },
  });
  await s.page.evaluate(() => window.__micraViewer!.setView(500, 420, 1));
  await s.page.getByTestId('analysis-summary').waitFor();
  await s.page.waitForFunction(() => document.querySelector('[data-testid="analysis-summary"]')?.getAttribute('data-heatmap') === 'true');
  await waitForTiles(s.page);
}, 180_000);

afterAll(async () => {
  await endE2eSession(s ?? {});
});

describe('layers in View mode', () => {
  it('lists the image’s suggestions and masks beside the layer toggles', async () => {
    expect(await s.page.getByTestId('review-mode').count()).toBe(0);
    const summary = s.page.getByTestId('analysis-summary');
    // Five suggestions and the added region; the declined suggestion keeps only its box.
    expect(await summary.textContent()).toContain('6 suggestions and regions');
    expect(Number(await summary.getAttribute('data-masks'))).toBeGreaterThanOrEqual(4);
    await s.page.screenshot({ path: join(screenshotDir, 'view-layers.png') });
  });

  it('draws the heat map over the image, and its toggle takes it off', async () => {
    const { page } = s;
    // (600, 650): in a scored crop, under no mask or box.
    expect(near(await pixelAt(page, 600, 650), gray(600, 650), 2)).toBe(false);
    await toggle(page, 'heatmap', false);
    expect(await pixelAt(page, 600, 650)).toEqual(gray(600, 650));
  });

  it('draws the masks in the overlay colour, and the masks toggle removes them', async () => {
    const { page } = s;
    // The centre of the accepted disc at (200, 200), radius 30: the pattern blended with the mask colour.
    const v = patternPixel(200, 200);
    const expected = MASK_COLOR.map((c) => c * MASK_OPACITY + v * (1 - MASK_OPACITY));
    await expect.poll(async () => near(await pixelAt(page, 200, 200), expected, 3)).toBe(true);
    // The square pending suggestion's mask too (780..819 × 560..599).
    const w = patternPixel(800, 580);
    expect(near(await pixelAt(page, 800, 580), MASK_COLOR.map((c) => c * MASK_OPACITY + w * (1 - MASK_OPACITY)), 3)).toBe(true);
    await toggle(page, 'masks', false);
    expect(await pixelAt(page, 200, 200)).toEqual(gray(200, 200));
    expect(await pixelAt(page, 800, 580)).toEqual(gray(800, 580));
    await toggle(page, 'masks', true);
    expect(near(await pixelAt(page, 200, 200), expected, 3)).toBe(true);
  });

  it('draws the suggestion boxes in their state colour, and the suggestions toggle removes them', async () => {
    const { page } = s;
    // The pending square's box is outlined just outside its left edge (x = 779), in the suggested colour.
    const c = STATUS_COLORS.suggested;
    const suggested = [(c >> 16) & 255, (c >> 8) & 255, c & 255];
    expect(await pixelAt(page, 779, 580)).toEqual(suggested);
    await toggle(page, 'suggestions', false);
    expect(await pixelAt(page, 779, 580)).toEqual(gray(779, 580));
  });
});
