// Reads what the viewer actually shows: a screenshot of the canvas element, decoded to gray.
import sharp from 'sharp';
import type { Page } from 'playwright-core';
// The renderer's test hook declares window.__micraViewer.
import type {} from '../../../src-renderer/viewer/testHook';

export interface GrayCapture {
  width: number;
  height: number;
  /** Red channel of each screen pixel (the viewer draws grayscale as r = g = b). */
  gray: Uint8Array;
  rgb: Uint8Array;
}

export async function captureCanvas(page: Page, testId = 'viewer-canvas'): Promise<GrayCapture> {
  // The element's screenshot, without the HTML that sits on the image (scale bar, cursor
  // readout): what is compared is what the shader drew.
  const png = await page.getByTestId(testId).screenshot({ animations: 'disabled', style: '[data-testid="on-image"] { visibility: hidden !important; }' });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const gray = new Uint8Array(info.width * info.height);
  for (let i = 0; i < gray.length; i++) gray[i] = data[i * info.channels]!;
  return { width: info.width, height: info.height, gray, rgb: new Uint8Array(data) };
}

export async function waitForTiles(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const state = window.__micraViewer?.getState();
    return state !== undefined && state.pendingTiles === 0;
  });
  // One more frame so the last uploaded tiles are drawn.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
