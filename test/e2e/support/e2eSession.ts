// What every e2e file sets up first: a scratch folder (the project goes inside it), the
// screenshot folder, a served app and a Chromium page that reports page errors.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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

/** Opens an existing project (one the test prepared beside the served app) in the page. */
export async function openProjectInPage(s: Pick<E2eSession, 'page' | 'served' | 'projectDir'>): Promise<void> {
  await s.page.goto(s.served.url);
  await s.page.getByTestId('project-dir').fill(s.projectDir);
  await s.page.getByTestId('project-open').click();
  await s.page.getByTestId('project-name').waitFor();
}

/** Closes what startE2eSession opened and deletes the scratch folder; safe after a half-done start. */
export async function endE2eSession(s: { browser?: Browser | undefined; served?: ServedApp | undefined; workDir?: string | undefined }): Promise<void> {
  await s.browser?.close();
  await s.served?.stop();
  if (s.workDir) await rm(s.workDir, { recursive: true, force: true });
}

/**
 * Sweeps of an e2e file use the bundled default model when it is installed, else the reference
 * fixture's weights as the default. Returns the undo, for afterAll.
 */
export function defaultModelOrFixture(): () => void {
  const saved = process.env.MICRA_DEFAULT_MODEL;
  if (!existsSync(join(repoRoot, 'models', 'default', 'manifest.json'))) {
    process.env.MICRA_DEFAULT_MODEL = join(repoRoot, '..', 'shared', 'fixtures', 'micranet-reference', 'manifest.json');
  }
  return () => {
    if (saved === undefined) delete process.env.MICRA_DEFAULT_MODEL;
    else process.env.MICRA_DEFAULT_MODEL = saved;
  };
}
