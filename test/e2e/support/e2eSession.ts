// What every e2e file sets up first: a scratch folder (the project goes inside it), the
// screenshot folder, a served app and a Chromium page that reports page errors.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { repoRoot, startServedApp, type ServedApp } from './servedApp';

export const screenshotDir = join(repoRoot, 'test-output', 'e2e');

export interface E2eSession {
  workDir: string;
  /** Inside workDir; not created (the UI creates it). */
  projectDir: string;
  served: ServedApp;
  browser: Browser;
  page: Page;
}

export async function startE2eSession(o: { tmpPrefix: string; projectName: string; viewport?: { width: number; height: number } }): Promise<E2eSession> {
  const workDir = await mkdtemp(join(tmpdir(), o.tmpPrefix));
  await mkdir(screenshotDir, { recursive: true });
  const served = await startServedApp();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: o.viewport ?? { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page.on('pageerror', (err) => console.error('page error:', err));
  return { workDir, projectDir: join(workDir, o.projectName), served, browser, page };
}
