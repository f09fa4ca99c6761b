// The minimap (issue 17) in Chromium: dragging its view rectangle pans the viewer by the
// dragged distance at the minimap's scale, a press outside the rectangle centres the view
// there, and inverting the contrast inverts the minimap's thumbnail too (its screen pixels).
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForTiles } from './support/canvasPixels';
import { endE2eSession } from './support/e2eSession';
import { openPatternProject, type PatternProject } from './support/patternProject';

const W = 1024;
const H = 768;
/** The minimap's longest side, CSS px (Minimap.svelte). */
const MINIMAP_PX = 166;
const k = MINIMAP_PX / Math.max(W, H);
let s: PatternProject;

const state = (page: Page) => page.evaluate(() => window.__micraViewer!.getState());

/** The minimap's screen pixels, RGB. */
async function minimapPixels(page: Page): Promise<{ width: number; height: number; rgb: Buffer }> {
  const png = await page.getByTestId('minimap').screenshot({ animations: 'disabled' });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgb: data };
}

beforeAll(async () => {
  s = await openPatternProject({ tmpPrefix: 'micra-minimap-e2e-', width: W, height: H });
  await s.page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="minimap"] img');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
}, 180_000);

afterAll(async () => {
  await endE2eSession(s ?? {});
});

describe('minimap', () => {
  it('pans the view when its rectangle is dragged', async () => {
    const { page } = s;
    await page.evaluate(() => window.__micraViewer!.setView(300, 300, 2));
    await waitForTiles(page);
    const before = await state(page);
    const view = (await page.getByTestId('minimap-view').boundingBox())!;
    const from = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y + 15, { steps: 3 });
    await page.mouse.move(from.x + 40, from.y + 30, { steps: 3 });
    await page.mouse.up();
    const after = await state(page);
    // 40 × 30 minimap px = 40 / k × 30 / k image px; a screen pixel of slack either way.
    expect(after.scale).toBe(before.scale);
    expect(Math.abs(after.centerX - (before.centerX + 40 / k))).toBeLessThanOrEqual(1 / k);
    expect(Math.abs(after.centerY - (before.centerY + 30 / k))).toBeLessThanOrEqual(1 / k);
    // The rectangle followed.
    const moved = (await page.getByTestId('minimap-view').boundingBox())!;
    expect(Math.abs(moved.x - (view.x + 40))).toBeLessThanOrEqual(1.5);
  });

  it('centres the view where it is pressed outside the rectangle', async () => {
    const { page } = s;
    const map = (await page.getByTestId('minimap').boundingBox())!;
    await page.mouse.click(map.x + 20, map.y + 100);
    const st = await state(page);
    expect(Math.abs(st.centerX - 20 / k)).toBeLessThanOrEqual(1 / k);
    expect(Math.abs(st.centerY - 100 / k)).toBeLessThanOrEqual(1 / k);
  });

  it('shows the contrast inversion in the thumbnail', async () => {
    const { page } = s;
    // The view rectangle in the top-left corner, out of the compared area.
    await page.evaluate(() => window.__micraViewer!.setView(100, 80, 4));
    await waitForTiles(page);
    const plain = await minimapPixels(page);
    await page.getByTestId('contrast-invert').check();
    await expect.poll(() => page.getByTestId('minimap').getAttribute('data-invert')).toBe('true');
    const inverted = await minimapPixels(page);
    expect([inverted.width, inverted.height]).toEqual([plain.width, plain.height]);
    // The bottom-right half: every pixel is the negative of what it was.
    let compared = 0;
    let off = 0;
    let changed = 0;
    for (let y = Math.floor(plain.height / 2); y < plain.height - 2; y++) {
      for (let x = Math.floor(plain.width / 2); x < plain.width - 2; x++) {
        const i = (y * plain.width + x) * 3;
        for (let c = 0; c < 3; c++) {
          compared++;
          if (Math.abs(inverted.rgb[i + c]! - (255 - plain.rgb[i + c]!)) > 2) off++;
          if (Math.abs(inverted.rgb[i + c]! - plain.rgb[i + c]!) > 20) changed++;
        }
      }
    }
    expect(off).toBe(0);
    // The thumbnail is not a flat mid-gray that inverts onto itself.
    expect(changed / compared).toBeGreaterThan(0.5);
    await page.getByTestId('contrast-invert').uncheck();
  });
});
