// The deep-zoom viewer in Chromium: canvas pixels against the source at a zoom other than 1:1
// (level 1 = 2 × 2 means at 50 %, nearest-neighbour blocks at 400 %), with invert and a
// contrast window; a box drawn with the mouse lands on the exact screen pixels of its image
// edges, is stored as a decision, survives a reload, and undo / redo take it away and back.
// Screenshots with every overlay layer at three zooms go to test-output/e2e/viewer-*.png.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCanvas, waitForTiles, type GrayCapture } from './support/canvasPixels';
import { dbRows, halve, openViewerSession, patternSamples, screenshotDir, type ViewerSession } from './support/viewerProject';

const WIDTH = 2048;
const HEIGHT = 1536;
const level0 = patternSamples(WIDTH, HEIGHT);
const level1 = halve(level0, WIDTH, HEIGHT);
/** The colour of a manual annotation that is not selected (STATUS_COLORS.manual). */
const MANUAL_RGB = [0x38, 0xbd, 0xf8] as const;

let s: ViewerSession;
let page: Page;
/** Requests for one tile each, and for tile batches, since the listener was attached. */
const httpTiles: string[] = [];
let batches = 0;

beforeAll(async () => {
  s = await openViewerSession(WIDTH, HEIGHT, level0);
  page = s.page;
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/tiles/')) httpTiles.push(path);
    if (path === '/tile-batch') batches++;
  });
});

afterAll(async () => {
  await s?.close();
  if (s) await rm(s.workDir, { recursive: true, force: true });
});

async function showView(cx: number, cy: number, scale: number): Promise<{ ox: number; oy: number; level: number; shot: GrayCapture }> {
  await page.evaluate(([x, y, sc]) => window.__micraViewer!.setView(x!, y!, sc!), [cx, cy, scale]);
  await waitForTiles(page);
  const st = await page.evaluate(() => window.__micraViewer!.getState());
  return { ox: st.originX, oy: st.originY, level: st.level, shot: await captureCanvas(page) };
}

async function reopen(): Promise<void> {
  await page.reload();
  await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, s.imageId);
}

/** Compares every 2nd screen pixel showing the image with `expected` (null: skip that pixel). */
function compare(shot: GrayCapture, expected: (sx: number, sy: number) => number | null, tolerance: number): { compared: number; mismatched: number } {
  let compared = 0;
  let mismatched = 0;
  for (let sy = 1; sy < shot.height - 1; sy += 2) {
    for (let sx = 1; sx < shot.width - 1; sx += 2) {
      const want = expected(sx, sy);
      if (want === null) continue;
      compared++;
      const got = shot.gray[sy * shot.width + sx]!;
      if (Math.abs(got - want) > tolerance) {
        mismatched++;
        if (process.env.MICRA_E2E_DEBUG && mismatched < 20) console.log('mismatch', { sx, sy, got, want });
      }
    }
  }
  return { compared, mismatched };
}

/** Image pixel shown at screen pixel (sx, sy) at `scale` ≥ the level's own, or null outside. */
function level0At(sx: number, sy: number, ox: number, oy: number, scale: number): number | null {
  const x = Math.floor((sx + 0.5 - ox) / scale);
  const y = Math.floor((sy + 0.5 - oy) / scale);
  return x >= 0 && y >= 0 && x < WIDTH && y < HEIGHT ? level0[y * WIDTH + x]! : null;
}

async function setRange(testId: string, value: number): Promise<void> {
  await page.getByTestId(testId).evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

describe('deep-zoom viewer in Chromium', () => {
  it('shows level 1 (2 × 2 means) at 50 %, pixel for pixel', async () => {
    const { ox, oy, level, shot } = await showView(1024, 768, 0.5);
    expect(level).toBe(1);
    // At 50 % one screen pixel is one level-1 pixel: screen (sx, sy) shows level-1 (sx - ox, sy - oy).
    const r = compare(shot, (sx, sy) => {
      const x = Math.floor(sx + 0.5 - ox);
      const y = Math.floor(sy + 0.5 - oy);
      return x >= 0 && y >= 0 && x < WIDTH / 2 && y < HEIGHT / 2 ? level1[y * (WIDTH / 2) + x]! : null;
    }, 1);
    expect(r.compared).toBeGreaterThan(50_000);
    expect(r.mismatched).toBe(0);
  });

  it('shows nearest-neighbour blocks at 400 %', async () => {
    const { ox, oy, level, shot } = await showView(701, 503, 4);
    expect(level).toBe(0);
    const r = compare(shot, (sx, sy) => level0At(sx, sy, ox, oy, 4), 1);
    expect(r.compared).toBeGreaterThan(50_000);
    expect(r.mismatched).toBe(0);
  });

  it('shows 1:1 on the 1 key, and every key of the mode on ?', async () => {
    await page.evaluate(() => window.__micraViewer!.fit());
    await page.keyboard.press('1');
    await expect.poll(() => page.evaluate(() => window.__micraViewer!.getState().scale)).toBe(1);
    await page.keyboard.press('?');
    const help = page.getByTestId('key-help');
    await help.waitFor();
    expect(await help.getAttribute('data-mode')).toBe('view');
    const rows = await help.getByTestId('key-help-row').allTextContents();
    expect(rows).toEqual(expect.arrayContaining([expect.stringMatching(/^1\s*1:1/), expect.stringMatching(/^P\s*point tool/), expect.stringMatching(/^\?/)]));
    await page.screenshot({ path: join(screenshotDir, 'viewer-keys.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('inverts (255 − v) in the shader', async () => {
    await page.getByTestId('contrast-invert').check();
    const { ox, oy, shot } = await showView(701, 503, 4);
    const r = compare(shot, (sx, sy) => {
      const v = level0At(sx, sy, ox, oy, 4);
      return v === null ? null : 255 - v;
    }, 1);
    expect(r.compared).toBeGreaterThan(50_000);
    expect(r.mismatched).toBe(0);
    await page.getByTestId('contrast-invert').uncheck();
  });

  it('loads its tiles in streamed batches, not one request each', async () => {
    await showView(1500, 1100, 1);
    expect(batches).toBeGreaterThan(0);
    expect(httpTiles).toEqual([]);
  });

  it('applies a contrast window (min 50, max 200) at 50 %', async () => {
    await setRange('contrast-min', 50);
    await setRange('contrast-max', 200);
    const { ox, oy, shot } = await showView(1024, 768, 0.5);
    const r = compare(shot, (sx, sy) => {
      const x = Math.floor(sx + 0.5 - ox);
      const y = Math.floor(sy + 0.5 - oy);
      if (x < 0 || y < 0 || x >= WIDTH / 2 || y >= HEIGHT / 2) return null;
      const v = level1[y * (WIDTH / 2) + x]!;
      return Math.round(Math.min(1, Math.max(0, (v - 50) / 150)) * 255);
    }, 1);
    expect(r.compared).toBeGreaterThan(50_000);
    expect(r.mismatched).toBe(0);
    await page.getByTestId('contrast-reset').click();
  });
});

/** Screen pixels of the column left of image x = `edgeX` (outside the box) and right of it (inside). */
function edgeColumns(shot: GrayCapture, ox: number, oy: number, scale: number, edgeX: number, y0: number, y1: number) {
  const sxEdge = Math.round(ox + edgeX * scale);
  const outside: number[][] = [];
  const inside: { rgb: number[]; want: number | null }[] = [];
  for (let iy = y0 + 2; iy < y1 - 2; iy += 3) {
    const sy = Math.floor(oy + (iy + 0.5) * scale);
    if (sy < 0 || sy >= shot.height) continue;
    const at = (sx: number): number[] => Array.from(shot.rgb.subarray((sy * shot.width + sx) * 3, (sy * shot.width + sx) * 3 + 3));
    outside.push(at(sxEdge - 1));
    inside.push({ rgb: at(sxEdge), want: scale >= 1 ? level0At(sxEdge, sy, ox, oy, scale) : null });
  }
  return { outside, inside };
}

const isManualColour = (rgb: number[]): boolean => rgb.every((c, i) => Math.abs(c - MANUAL_RGB[i]!) <= 2);

describe('manual annotations', () => {
  const BOX = [100, 120, 200, 140] as const;

  async function annotationCount(): Promise<number> {
    return Number(await page.getByTestId('annotation-count').textContent());
  }

  it('draws a box with the mouse, stored at once as a decision', async () => {
    const { ox, oy } = await showView(200, 200, 2);
    const canvas = (await page.getByTestId('viewer-canvas').boundingBox())!;
    const screen = (ix: number, iy: number): [number, number] => [canvas.x + ox + ix * 2, canvas.y + oy + iy * 2];
    await page.getByTestId('tool-box').click();
    await page.mouse.move(...screen(BOX[0] + 0.25, BOX[1] + 0.25));
    await page.mouse.down();
    await page.mouse.move(...screen(200, 200), { steps: 5 });
    await page.mouse.move(...screen(BOX[0] + BOX[2] - 0.25, BOX[1] + BOX[3] - 0.25), { steps: 5 });
    await page.mouse.up();
    await expect.poll(annotationCount).toBe(1);

    const rows = dbRows<{ target_kind: string; action: string; payload: string }>(s.projectDir, 'SELECT target_kind, action, payload FROM decisions');
    expect(rows).toEqual([{ target_kind: 'annotation', action: 'create', payload: JSON.stringify({ shape: 'box', box: BOX }) }]);
  });

  it('draws the box edge on the screen pixels of its image edge, at 200 % and at 50 %', async () => {
    await page.keyboard.press('Escape'); // deselect: the outline takes the annotation colour
    for (const scale of [2, 0.5]) {
      const { ox, oy, shot } = await showView(200, 200, scale);
      const { outside, inside } = edgeColumns(shot, ox, oy, scale, BOX[0], BOX[1], BOX[1] + BOX[3]);
      expect(outside.length).toBeGreaterThan(10);
      expect(outside.filter(isManualColour).length).toBe(outside.length);
      expect(inside.filter((p) => isManualColour(p.rgb)).length).toBe(0);
      for (const p of inside) if (p.want !== null) expect(Math.abs(p.rgb[0]! - p.want)).toBeLessThanOrEqual(1);
    }
  });

  it('is still there after a reload', async () => {
    await reopen();
    await expect.poll(annotationCount).toBe(1);
    const { ox, oy, shot } = await showView(200, 200, 2);
    const { outside } = edgeColumns(shot, ox, oy, 2, BOX[0], BOX[1], BOX[1] + BOX[3]);
    expect(outside.filter(isManualColour).length).toBe(outside.length);
  });

  it('undo removes it and redo brings it back, each as a decision', async () => {
    await page.getByTestId('viewer-canvas').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(annotationCount).toBe(0);
    const { ox, oy, shot } = await showView(200, 200, 2);
    expect(edgeColumns(shot, ox, oy, 2, BOX[0], BOX[1], BOX[1] + BOX[3]).outside.filter(isManualColour)).toEqual([]);

    await page.keyboard.press('Control+Shift+z');
    await expect.poll(annotationCount).toBe(1);
    const actions = dbRows<{ action: string; undo_of: number | null }>(s.projectDir, 'SELECT action, undo_of FROM decisions ORDER BY id');
    expect(actions.map((a) => a.action)).toEqual(['create', 'undo', 'undo']);
    expect(actions[2]!.undo_of).not.toBeNull();
  });

  it('places a point (P) and a polygon (G), moves the point (V + drag) and deletes the polygon (Delete)', async () => {
    const { ox, oy } = await showView(200, 200, 2);
    const canvas = (await page.getByTestId('viewer-canvas').boundingBox())!;
    const at = (ix: number, iy: number): [number, number] => [canvas.x + ox + ix * 2, canvas.y + oy + iy * 2];
    await page.getByTestId('viewer-canvas').focus();
    await page.keyboard.press('p');
    await page.mouse.click(...at(40.5, 60.5));
    await expect.poll(annotationCount).toBe(2);
    await page.keyboard.press('g');
    for (const [x, y] of [[320, 60], [380, 60], [350, 110]] as const) await page.mouse.click(...at(x + 0.1, y + 0.1));
    await page.keyboard.press('Enter');
    await expect.poll(annotationCount).toBe(3);

    await page.keyboard.press('v');
    await page.mouse.move(...at(40.5, 60.5));
    await page.mouse.down();
    await page.mouse.move(...at(45.5, 62.5), { steps: 3 });
    await page.mouse.move(...at(50.5, 70.5), { steps: 3 });
    await page.mouse.up();
    const payloads = async (action: string): Promise<unknown[]> =>
      dbRows<{ payload: string }>(s.projectDir, `SELECT payload FROM decisions WHERE action = '${action}' ORDER BY id`).map((r) => JSON.parse(r.payload));
    await expect.poll(() => payloads('update')).toEqual([{ shape: 'point', x: 50, y: 70 }]);
    expect((await payloads('create')).slice(1)).toEqual([
      { shape: 'point', x: 40, y: 60 },
      { shape: 'polygon', points: [[320, 60], [380, 60], [350, 110]] },
    ]);

    await page.mouse.click(...at(350, 75)); // inside the polygon: selects it
    await page.keyboard.press('Delete');
    await expect.poll(annotationCount).toBe(2);
    expect(await payloads('delete')).toEqual([{}]);
  });

  it('saves screenshots with every overlay layer at three zooms', async () => {
    await page.evaluate(() => {
      const hook = window.__micraViewer!;
      const w = 160;
      const h = 120;
      const mask: number[] = [];
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask.push((x - 80) ** 2 / 6400 + (y - 60) ** 2 / 3600 <= 1 ? 1 : 0);
      hook.setMask('m1', 400, 300, w, h, mask, [239, 68, 68], 0.45);
      const cols = 8;
      const rows = 6;
      const scores: number[] = [];
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) scores.push(((c * 3 + r * 5) % 11) / 10);
      hook.setHeatmap(0, 0, 2048, 1536, cols, rows, scores, 0.5);
      hook.setSuggestionBoxes([
        { box: [400, 300, 160, 120], status: 'accepted' },
        { box: [900, 700, 256, 256], status: 'suggested' },
        { box: [1500, 400, 128, 200], status: 'declined' },
      ]);
    });
    for (const [name, cx, cy, scale] of [
      ['viewer-fit.png', 1024, 768, 0.4],
      ['viewer-100.png', 450, 330, 1],
      ['viewer-400.png', 410, 310, 4],
    ] as const) {
      await showView(cx, cy, scale);
      await page.screenshot({ path: join(screenshotDir, name) });
    }
    // The layer toggles hide and show a layer.
    await page.getByTestId('layer-heatmap').uncheck();
    await expect.poll(() => page.getByTestId('layer-heatmap').isChecked()).toBe(false);
  });
});

describe('when tile batches fail', () => {
  it('loads the tiles one request each instead and shows the same pixels', async () => {
    await page.route('**/tile-batch?*', (route) => route.abort());
    httpTiles.length = 0;
    await reopen();
    const { ox, oy, shot } = await showView(901, 603, 4);
    const r = compare(shot, (sx, sy) => level0At(sx, sy, ox, oy, 4), 1);
    expect(r.compared).toBeGreaterThan(50_000);
    expect(r.mismatched).toBe(0);
    expect(httpTiles.length).toBeGreaterThan(0);
    await page.unroute('**/tile-batch?*');
  });
});
