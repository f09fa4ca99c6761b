// The start screen in serve mode (issue 17): a folder is picked with the server's folder
// browser (confined to the user's home: here a scratch HOME), a project is created there, and
// after the server restarts (a new origin: the page remembers nothing) the start screen lists it
// under recent projects, from the user's config, and opens it with one click.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { screenshotDir } from './support/e2eSession';
import { startServedApp, type ServedApp } from './support/servedApp';

let root: string;
let home: string;
let env: NodeJS.ProcessEnv;
let served: ServedApp | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'micra-picker-e2e-')));
  home = join(root, 'home');
  await mkdir(join(home, 'lab', 'study 1'), { recursive: true });
  await mkdir(join(home, '.hidden-stuff'), { recursive: true });
  env = { HOME: home, MICRA_CONFIG_DIR: join(root, 'config') };
  served = await startServedApp([], env);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('project picker in Chromium', () => {
  it('picks a folder in the folder browser, creates a project there, and finds it among the recent projects after a restart', async () => {
    await page.goto(served!.url);
    // A folder outside the home in the box: the server refuses to list it, the browser says so
    // and starts at the home instead.
    await page.getByTestId('project-dir').fill(root);
    await page.getByTestId('project-browse').click();
    await expect.poll(() => page.getByTestId('folder-current').textContent()).toBe(home);
    expect(await page.getByTestId('folder-error').textContent()).toContain('inside your home folder');
    // At the home folder: no way up, and the button says why; hidden folders are not listed.
    expect(await page.getByTestId('folder-up').isDisabled()).toBe(true);
    expect(await page.getByTestId('folder-up').getAttribute('title')).toContain('home folder');
    expect(await page.getByTestId('folder-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['lab']);
    await page.locator('[data-testid="folder-entry"][data-name="lab"]').click();
    await expect.poll(() => page.getByTestId('folder-current').textContent()).toBe(join(home, 'lab'));
    await page.locator('[data-testid="folder-entry"][data-name="study 1"]').click();
    await expect.poll(() => page.getByTestId('folder-current').textContent()).toBe(join(home, 'lab', 'study 1'));
    await page.getByTestId('folder-use').click();
    expect(await page.getByTestId('project-dir').inputValue()).toBe(join(home, 'lab', 'study 1'));
    await page.getByTestId('project-create').click();
    await page.getByTestId('project-name').waitFor();
    expect(existsSync(join(home, 'lab', 'study 1', 'project.sqlite'))).toBe(true);

    // Restart: a new port is a new origin, the page remembers no project; the config does.
    await served!.stop();
    served = await startServedApp([], env);
    await page.goto(served.url);
    const recent = page.locator(`[data-testid="recent-project"][data-dir="${join(home, 'lab', 'study 1')}"]`);
    await recent.waitFor();
    expect(await recent.textContent()).toContain('study 1');
    await page.screenshot({ path: join(screenshotDir, 'project-picker-recent.png') });
    await recent.click();
    await page.getByTestId('project-name').waitFor();
    expect(await page.getByTestId('project-name').textContent()).toContain('study 1');
  });
});
