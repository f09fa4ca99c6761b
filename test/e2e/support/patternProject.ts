// A project prepared beside the served app, before the page opens it: one 8-bit image of the
// viewer tests' known pattern (every pixel's value is patternPixel(x, y)), optionally with a
// pixel size and whatever `seed` stores (sweep runs, suggestions), then opened in the viewer.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { ProjectStore } from '../../../src-main/core/project/projectStore';
import { encodeTestTiff } from '../../generators/tiff/tiffWriter';
import { openProjectInPage, startE2eSession, type E2eSession } from './e2eSession';
import { patternSamples } from './viewerProject';
import type {} from '../../../src-renderer/viewer/testHook';

export interface PatternProject extends E2eSession {
  imageId: number;
}

export async function openPatternProject(o: {
  tmpPrefix: string;
  width: number;
  height: number;
  pixelSizeNm?: number;
  seed?: (store: ProjectStore, imageId: number) => void;
  viewport?: { width: number; height: number };
}): Promise<PatternProject> {
  const session = await startE2eSession({ tmpPrefix: o.tmpPrefix, projectName: 'Pattern study', ...(o.viewport ? { viewport: o.viewport } : {}) });
  const tiff = join(session.workDir, 'pattern.tif');
  await writeFile(tiff, encodeTestTiff([{ width: o.width, height: o.height, channels: 1, bits: 8, samples: Buffer.from(patternSamples(o.width, o.height)), rowsPerStrip: 64, compression: 'lzw' }]));
  const app = createNodeApp('serve');
  let imageId: number;
  try {
    await app.openProject(session.projectDir, true);
    const r = await app.importFile(tiff);
    if (!r.ok) throw new Error(r.error);
    imageId = r.image.id;
    const { store } = app.requireProject();
    if (o.pixelSizeNm !== undefined) store.images.setPixelSize(imageId, o.pixelSizeNm);
    o.seed?.(store, imageId);
  } finally {
    await app.close();
  }
  await openProjectInPage(session);
  await selectImage(session.page, imageId);
  return { ...session, imageId };
}

export async function selectImage(page: Page, imageId: number): Promise<void> {
  const item = page.locator(`[data-testid="image-item-${imageId}"][data-status="ready"]`);
  await item.waitFor({ timeout: 60_000 });
  await item.locator('button').first().click();
  await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, imageId, { timeout: 60_000 });
}
