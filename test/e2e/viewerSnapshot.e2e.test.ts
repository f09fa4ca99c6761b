// Snapshot for figures (issue 17) in Chromium: the C key saves the view as a PNG at screen
// resolution, and "Region…" + a drag saves a rectangle at full resolution. The downloaded
// files decode to the expected size, their pixels are the image's (the known pattern), the
// visible overlays are drawn in them, and the scale bar's white bar is where its layout says.
// Saved snapshots: test-output/e2e/viewer-snapshot-view.png (the view, C key) and
// viewer-snapshot-region-full.png (a region at full resolution, with a mask overlay).
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotScaleBar, type SnapshotBarLayout } from '../../src-renderer/viewer/snapshotLayout';
import { waitForTiles } from './support/canvasPixels';
import { endE2eSession, screenshotDir } from './support/e2eSession';
import { openPatternProject, type PatternProject } from './support/patternProject';
import { patternPixel } from './support/viewerProject';

const W = 1024;
const H = 768;
const PIXEL_NM = 5;
let s: PatternProject;

interface Png {
  name: string;
  path: string;
  width: number;
  height: number;
  /** RGBA. */
  data: Buffer;
}

async function download(page: Page, act: () => Promise<void>): Promise<Png> {
  const [file] = await Promise.all([page.waitForEvent('download'), act()]);
  const path = join(s.workDir, `snap-${file.suggestedFilename()}`);
  await file.saveAs(path);
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { name: file.suggestedFilename(), path, width: info.width, height: info.height, data };
}

const px = (p: Png, x: number, y: number): [number, number, number] => {
  const i = (y * p.width + x) * 4;
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!];
};

/** The rectangle the file name gives: name_x{x0}_y{y0}_{w}x{h}[_full].png. */
function rectOf(name: string): { x0: number; y0: number; w: number; h: number } {
  const m = /_x(\d+)_y(\d+)_(\d+)x(\d+)/.exec(name);
  if (!m) throw new Error(`no rectangle in ${name}`);
  return { x0: Number(m[1]), y0: Number(m[2]), w: Number(m[3]), h: Number(m[4]) };
}

const inPanel = (l: SnapshotBarLayout | null, x: number, y: number): boolean =>
  l !== null && x >= l.panel.x && y >= l.panel.y && y < l.panel.y + l.panel.height && x < l.panel.x + l.panel.width + 400;

/** Every pixel outside the scale bar's panel (and `skip`) is the pattern's gray at (x0 + i, y0 + j). */
function mismatches(p: Png, x0: number, y0: number, bar: SnapshotBarLayout | null, skip: (x: number, y: number) => boolean = () => false): number {
  let bad = 0;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      if (inPanel(bar, x, y) || skip(x0 + x, y0 + y)) continue;
      const v = patternPixel(x0 + x, y0 + y);
      const [r, g, b] = px(p, x, y);
      if (r !== v || g !== v || b !== v) bad++;
    }
  }
  return bad;
}

/** Every pixel of the bar is white. */
function barIsWhite(p: Png, bar: SnapshotBarLayout): boolean {
  const r = bar.barRect;
  for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) if (px(p, x, y).some((c) => c !== 255)) return false;
  return true;
}

beforeAll(async () => {
  s = await openPatternProject({ tmpPrefix: 'micra-snapshot-e2e-', width: W, height: H, pixelSizeNm: PIXEL_NM });
}, 180_000);

afterAll(async () => {
  await endE2eSession(s ?? {});
});

describe('viewer snapshot', () => {
  it('saves the view with the C key at screen resolution: its pixels are the view, with the scale bar', async () => {
    const { page } = s;
    await page.evaluate(() => window.__micraViewer!.setView(500, 380, 1));
    await waitForTiles(page);
    const st = await page.evaluate(() => window.__micraViewer!.getState());
    expect(st.scale).toBe(1);
    const png = await download(page, () => page.keyboard.press('c'));
    // At 1:1 the view's rectangle: image x from -originX over the canvas width, clipped to the image.
    const x0 = Math.max(0, -st.originX);
    const y0 = Math.max(0, -st.originY);
    const w = Math.min(W, st.width - st.originX) - x0;
    const h = Math.min(H, st.height - st.originY) - y0;
    expect(rectOf(png.name)).toEqual({ x0, y0, w, h });
    expect([png.width, png.height]).toEqual([w, h]);
    const bar = snapshotScaleBar(png.width, png.height, PIXEL_NM, 1);
    expect(bar).not.toBeNull();
    expect(mismatches(png, x0, y0, bar)).toBe(0);
    expect(barIsWhite(png, bar!)).toBe(true);
    await expect.poll(() => page.getByTestId('snapshot-status').textContent()).toContain(`scale bar ${bar!.bar.label}`);
    await copyFile(png.path, join(screenshotDir, 'viewer-snapshot-view.png'));
  });

  it('lists the snapshot key on ?', async () => {
    const { page } = s;
    await page.keyboard.press('?');
    const help = page.getByTestId('key-help');
    await help.waitFor();
    expect(await help.getByTestId('key-help-row').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^C\s*snapshot the view/)]));
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('saves a dragged region at full resolution with the visible overlays drawn at that scale', async () => {
    const { page } = s;
    // Zoomed out (level 1 on screen), a fully opaque green mask on image pixels 300..339 × 200..219.
    await page.evaluate(() => {
      const v = window.__micraViewer!;
      v.setView(512, 384, 0.5);
      v.setMask('snapshot-test', 300, 200, 40, 20, new Array(800).fill(1), [0, 255, 0], 1);
    });
    await waitForTiles(page);
    const st = await page.evaluate(() => window.__micraViewer!.getState());
    expect(st.level).toBe(1);
    await page.getByTestId('snapshot-resolution').selectOption('full');
    await page.getByTestId('snapshot-region').click();
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    const screen = (x: number, y: number) => ({ x: box.x + st.originX + x * st.scale, y: box.y + st.originY + y * st.scale });
    const a = screen(150.5, 120.5);
    const b = screen(700.5, 560.5);
    const png = await download(page, async () => {
      await page.mouse.move(a.x, a.y);
      await page.mouse.down();
      await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
      await page.mouse.move(b.x, b.y, { steps: 4 });
      await page.mouse.up();
    });
    expect(png.name).toMatch(/_full\.png$/);
    const r = rectOf(png.name);
    // The dragged rectangle, give or take the screen pixel a press lands on (2 image px at 50 %).
    expect(Math.abs(r.x0 - 150)).toBeLessThanOrEqual(2);
    expect(Math.abs(r.y0 - 120)).toBeLessThanOrEqual(2);
    expect(Math.abs(r.x0 + r.w - 701)).toBeLessThanOrEqual(2);
    expect(Math.abs(r.y0 + r.h - 561)).toBeLessThanOrEqual(2);
    // One PNG pixel per level-0 pixel: exact pattern values although the screen shows level 1.
    expect([png.width, png.height]).toEqual([r.w, r.h]);
    const bar = snapshotScaleBar(png.width, png.height, PIXEL_NM, 1);
    const masked = (x: number, y: number) => x >= 300 && x < 340 && y >= 200 && y < 220;
    expect(mismatches(png, r.x0, r.y0, bar, masked)).toBe(0);
    // The mask, drawn at full resolution: exactly its 40 × 20 pixels are green.
    for (const [x, y] of [[300, 200], [339, 219], [320, 210]] as const) expect(px(png, x - r.x0, y - r.y0)).toEqual([0, 255, 0]);
    expect(px(png, 299 - r.x0, 210 - r.y0)).not.toEqual([0, 255, 0]);
    expect(px(png, 340 - r.x0, 210 - r.y0)).not.toEqual([0, 255, 0]);
    expect(barIsWhite(png, bar!)).toBe(true);
    await copyFile(png.path, join(screenshotDir, 'viewer-snapshot-region-full.png'));
    await page.evaluate(() => window.__micraViewer!.setMask('snapshot-test', 0, 0, 1, 1, [0], [0, 0, 0], 0));
  });
});
