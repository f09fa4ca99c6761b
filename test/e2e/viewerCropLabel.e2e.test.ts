// Issue 15: a crop is labelled by clicking in the viewer. On a 1000 × 700 image the crop grid of
// 256 has columns at 0, 256, 512 and a last one shifted to 744, rows at 0, 256 and 444. In View
// mode the "Label crop" tool picks the grid crop under a click at image point (900, 600) — the
// shifted last column and row — and Y labels it present for the class. The labels row in
// project.sqlite is that grid crop's, and the crop grid in Label mode shows the same record on
// that crop. Esc leaves the tool. Screenshot: test-output/e2e/viewer-crop-label.png.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForTiles } from './support/canvasPixels';
import { endE2eSession, screenshotDir } from './support/e2eSession';
import { openPatternProject, selectImage, type PatternProject } from './support/patternProject';
import { dbRows } from './support/viewerProject';

const W = 1000;
const H = 700;
let s: PatternProject;

beforeAll(async () => {
  s = await openPatternProject({ tmpPrefix: 'micra-viewer-crop-label-e2e-', width: W, height: H, seed: (store) => void store.classes.create('Axon', '#ff0000') });
}, 180_000);

afterAll(async () => {
  await endE2eSession(s ?? {});
});

describe('labelling a crop in the viewer', () => {
  it('labels the grid crop under the click through the crop grid request: one record, shown in the grid', async () => {
    const { page, projectDir, imageId } = s;
    // The crop grid's size, chosen in Label mode, is the size the viewer tool labels.
    await page.getByTestId('mode-label').click();
    await page.getByTestId('label-crop-size').selectOption('256');
    await page.getByTestId('mode-view').click();
    await selectImage(page, imageId);

    await page.getByTestId('crop-label-toggle').click();
    await expect.poll(() => page.getByTestId('crop-label-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('crop-label-present').waitFor();
    expect(await page.getByTestId('crop-label-present').isDisabled()).toBe(true);
    expect(await page.getByTestId('crop-label-present').getAttribute('title')).toBe('Click a crop in the image first');

    await page.evaluate(() => window.__micraViewer!.setView(500, 350, 0.5));
    await waitForTiles(page);
    const st = await page.evaluate(() => window.__micraViewer!.getState());
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    const at = { x: box.x + st.originX + 900 * st.scale, y: box.y + st.originY + 600 * st.scale };
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('crop-label-picked').textContent()).toContain('(744, 444)');
    await page.screenshot({ path: join(screenshotDir, 'viewer-crop-label.png') });
    await page.keyboard.press('y');

    await expect.poll(() => dbRows<{ n: number }>(projectDir, 'SELECT count(*) AS n FROM labels')[0]!.n).toBe(1);
    const rows = dbRows<{ image_id: number; x: number; y: number; width: number; height: number; value: string; name: string }>(
      projectDir,
      'SELECT c.image_id, c.x, c.y, c.width, c.height, l.value, k.name FROM labels l JOIN crops c ON c.id = l.crop_id JOIN classes k ON k.id = l.class_id',
    );
    expect(rows).toEqual([{ image_id: imageId, x: 744, y: 444, width: 256, height: 256, value: 'present', name: 'Axon' }]);
    await expect.poll(() => page.getByTestId('crop-label-done').textContent()).toContain('present');

    // Esc leaves the tool.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('crop-label-toggle').getAttribute('aria-pressed')).toBe('false');

    // The crop grid shows the same record on that crop.
    await page.getByTestId('mode-label').click();
    await page.getByTestId('label-crop-size').selectOption('256');
    if (await page.getByTestId('label-hide-background').isChecked()) await page.getByTestId('label-hide-background').uncheck();
    const cell = page.locator('[data-testid="crop-cell"][data-x="744"][data-y="444"]');
    await cell.waitFor({ timeout: 30_000 });
    await expect.poll(() => cell.getAttribute('data-value')).toBe('present');
  }, 240_000);
});
