// Shared set-up of the viewer e2e tests: a served app, a project created from the UI and one
// dropped 8-bit TIFF with a known pattern, opened in the viewer.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { encodeTestTiff } from '../../generators/tiff/tiffWriter';
import { createProjectInUi, dropImageAndWaitReady } from './projectSteps';
import { screenshotDir, startE2eSession } from './e2eSession';
import type { ServedApp } from './servedApp';
import type {} from '../../../src-renderer/viewer/testHook';

export { screenshotDir };

/** A pattern with no symmetry, so an offset or flip by one pixel shows. */
export function patternPixel(x: number, y: number): number {
  return (x * 7 + y * 13 + ((x >> 5) ^ (y >> 5)) * 37) % 256;
}

export function patternSamples(width: number, height: number): Uint8Array {
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px[y * width + x] = patternPixel(x, y);
  return px;
}

/** Level L + 1 of a pyramid: 2 × 2 means rounded half up (the pyramid builder's rule; even sizes). */
export function halve(src: Uint8Array, width: number, height: number): Uint8Array {
  const w = width / 2;
  const h = height / 2;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 2 * y * width + 2 * x;
      out[y * w + x] = (src[i]! + src[i + 1]! + src[i + width]! + src[i + width + 1]! + 2) >> 2;
    }
  }
  return out;
}

export interface ViewerSession {
  workDir: string;
  projectDir: string;
  served: ServedApp;
  browser: Browser;
  page: Page;
  imageId: number;
  close(): Promise<void>;
}

export async function openViewerSession(width: number, height: number, samples: Uint8Array): Promise<ViewerSession> {
  const { workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-viewer-e2e-', projectName: 'Viewer study' });
  await createProjectInUi(page, served.url, projectDir);
  const tiff = encodeTestTiff([{ width, height, channels: 1, bits: 8, samples: Buffer.from(samples), rowsPerStrip: 64, compression: 'lzw' }]);
  await dropImageAndWaitReady(page, 'pattern.tif', tiff);
  const imageId = dbRows<{ id: number }>(projectDir, 'SELECT id FROM images')[0]!.id;
  await page.getByTestId(`image-item-${imageId}`).locator('button').first().click();
  await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, imageId);
  return {
    workDir,
    projectDir,
    served,
    browser,
    page,
    imageId,
    async close() {
      await browser.close();
      await served.stop();
    },
  };
}

export function dbRows<T>(projectDir: string, sql: string): T[] {
  const db = new Database(join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
