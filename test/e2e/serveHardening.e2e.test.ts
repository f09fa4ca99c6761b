// Serve mode against another origin in the same browser (issue #14, item 1). The user opens the
// app at the address `micra serve` printed, creates a project and imports an image; then, in
// the same browser context, a page served by another server on another port of 127.0.0.1 (the
// same site to a browser, so a cookie of the app would reach the app from it) tries to read the
// thumbnail (fetch and <img>), to import a file (no-cors fetch and a form POST), and to open the
// API socket. None of it works: the project has no new image nor file, and the app still
// works. The token lives in the tab's sessionStorage, not in a cookie nor in the address bar,
// and the app's CSP keeps its own page from connecting anywhere else.
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTestTiff } from '../generators/tiff/tiffWriter';
import { startAttackerOrigin, type AttackerOrigin } from './support/attackerOrigin';
import { launchChromium } from './support/browser';
import { endE2eSession, screenshotDir } from './support/e2eSession';
import { createProjectInUi, dropImageAndWaitReady } from './support/projectSteps';
import { startServedApp, type ServedApp } from './support/servedApp';
import { dbRows } from './support/viewerProject';

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
/** One browser context (one profile: cookies, storage) for the user's tab and the other origin's. */
let context: BrowserContext;
let page: Page;
let attacker: AttackerOrigin;
let imageId: number;

const [W, H] = [320, 240];

function tiffBytes(seed: number): Buffer {
  const samples = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) samples[y * W + x] = (x * 3 + y * 7 + seed * 29) & 255;
  return encodeTestTiff([{ width: W, height: H, channels: 1, bits: 8, samples, rowsPerStrip: 16 }]);
}

const images = (): Array<{ id: number; name: string; status: string }> => dbRows(projectDir, 'SELECT id, name, status FROM images ORDER BY id');

/** The attack: everything a page of another origin might try against the app, results in window.__attack. */
function attackPage(): string {
  const app = served.origin;
  const host = new URL(app).host;
  // A valid TIFF with other pixels than the user's: it would import as a new image if accepted.
  const evil = tiffBytes(99).toString('base64');
  return `<!doctype html><meta charset="utf-8"><title>innocent page</title>
<body>
<iframe name="sink" style="display:none"></iframe>
<script>
(async () => {
  const app = ${JSON.stringify(app)};
  const thumb = app + '/thumbnails/${imageId}';
  const evil = Uint8Array.from(atob(${JSON.stringify(evil)}), (c) => c.charCodeAt(0));
  const out = {};
  const attempt = async (name, fn) => {
    try { out[name] = await fn(); } catch (e) { out[name] = 'refused: ' + (e && e.message); }
  };
  const timeout = (ms, what) => new Promise((resolve) => setTimeout(() => resolve(what), ms));
  await attempt('fetchThumbnail', async () => {
    const r = await fetch(thumb, { credentials: 'include' });
    return 'read ' + r.status + ' ' + (await r.arrayBuffer()).byteLength + ' bytes';
  });
  await attempt('imgThumbnail', () => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve('loaded ' + img.naturalWidth + 'x' + img.naturalHeight);
    img.onerror = () => resolve('error');
    img.src = thumb;
  }));
  await attempt('uploadNoCors', async () => {
    const r = await fetch(app + '/upload?name=evil.tif', { method: 'POST', mode: 'no-cors', credentials: 'include', body: evil });
    return 'sent (' + r.type + ')';
  });
  await attempt('uploadForm', () => Promise.race([
    new Promise((resolve) => {
      const sink = document.querySelector('iframe');
      sink.onload = () => resolve('submitted');
      const form = document.createElement('form');
      form.method = 'POST';
      form.enctype = 'text/plain';
      form.target = 'sink';
      form.action = app + '/upload?name=form.tif';
      const field = document.createElement('textarea');
      field.name = 'x';
      field.value = 'II*\\u0000';
      form.append(field);
      document.body.append(form);
      form.submit();
    }),
    timeout(5000, 'no answer'),
  ]));
  await attempt('socket', () => Promise.race([
    new Promise((resolve) => {
      const ws = new WebSocket('ws://${host}/api');
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('error');
    }),
    timeout(5000, 'no answer'),
  ]));
  window.__attack = out;
})();
</script>
</body>`;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'micra-hardening-e2e-'));
  projectDir = join(workDir, 'Hardening');
  await mkdir(screenshotDir, { recursive: true });
  served = await startServedApp();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await createProjectInUi(page, served.url, projectDir);
  await dropImageAndWaitReady(page, 'cells.tif', tiffBytes(1));
  imageId = images()[0]!.id;
  attacker = await startAttackerOrigin(attackPage);
});

afterAll(async () => {
  await attacker?.close();
  await endE2eSession({ browser, served, workDir });
});

async function thumbnailShown(id: number): Promise<boolean> {
  const img = page.getByTestId(`image-item-${id}`).locator('img');
  await img.scrollIntoViewIfNeeded();
  return page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle(), { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
}

describe('the token', () => {
  it('is taken from the printed address into the tab, out of the address bar, and no cookie holds it', async () => {
    expect(served.url).toContain('?token=');
    const shown = new URL(page.url());
    expect(page.url()).not.toContain('token');
    expect([shown.origin, shown.pathname, shown.search]).toEqual([served.origin, '/', '']);
    expect(await page.evaluate(() => sessionStorage.getItem('micra.serveToken'))).toBe(served.token);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await thumbnailShown(imageId)).toBe(true);
  });

  it('still serves the app after a reload, from the tab’s sessionStorage', async () => {
    const trouble: string[] = [];
    page.on('requestfailed', (r) => trouble.push(`${r.url()}: ${r.failure()?.errorText ?? 'failed'}`));
    page.on('console', (m) => void (m.type() === 'error' && trouble.push(m.text())));
    await page.reload();
    await page
      .getByTestId(`image-item-${imageId}`)
      .waitFor({ timeout: 60_000 })
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${trouble.join('\n')}`);
      });
    expect(await thumbnailShown(imageId)).toBe(true);
    expect(page.url()).not.toContain('token');
  });
});

describe('a page of another origin on 127.0.0.1, in the same browser', () => {
  let results: Record<string, string>;
  const answers: Array<{ url: string; status: number }> = [];

  beforeAll(async () => {
    const evil = await context.newPage();
    evil.on('response', (r: Response) => {
      if (r.url().startsWith(served.origin)) answers.push({ url: r.url(), status: r.status() });
    });
    await evil.goto(`${attacker.origin}/attack.html`);
    await evil.waitForFunction(() => (window as unknown as { __attack?: unknown }).__attack !== undefined, undefined, { timeout: 60_000 });
    results = await evil.evaluate(() => (window as unknown as { __attack: Record<string, string> }).__attack);
    await evil.screenshot({ path: join(screenshotDir, 'serve-hardening-attacker.png') });
    await evil.close();
  });

  it('cannot read a thumbnail, by fetch or by <img>', () => {
    expect(results.fetchThumbnail, JSON.stringify(results)).toMatch(/^refused/);
    expect(results.imgThumbnail, JSON.stringify(results)).toBe('error');
  });

  it('cannot import a file, by a no-cors fetch or by a form: no new image, no new file', async () => {
    // Give a request that got through time to import (it would have: the body is a valid TIFF).
    await new Promise((r) => setTimeout(r, 2_000));
    expect(images().map((i) => i.name)).toEqual(['cells.tif']);
    const sources = await readdir(join(projectDir, 'sources'));
    expect(sources.filter((f) => /evil|form|\.upload-/.test(f))).toEqual([]);
    expect(sources).toHaveLength(1);
    expect(results.uploadNoCors, JSON.stringify(results)).not.toBe('sent (basic)');
  });

  it('cannot open the API socket', () => {
    expect(results.socket, JSON.stringify(results)).toBe('error');
  });

  it('reached the app only to be refused: every answer it got from the app was a 403', () => {
    expect(answers.length, JSON.stringify(results)).toBeGreaterThan(0);
    for (const a of answers) expect(a.status, a.url).toBe(403);
  });

  it('leaves the app working for the user', async () => {
    await page.bringToFront();
    await page.reload();
    await page.getByTestId(`image-item-${imageId}`).waitFor();
    expect(await thumbnailShown(imageId)).toBe(true);
  });
});

describe("the app's own page", () => {
  it('cannot connect to another origin: its CSP allows only its own', async () => {
    const before = attacker.received.length;
    const outcome = await page.evaluate(async (target) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      let fetched = 'fetched';
      try {
        await fetch(`${target}/beacon`);
      } catch {
        fetched = 'blocked';
      }
      const socket = await new Promise<string>((resolve) => {
        try {
          const ws = new WebSocket(`${target.replace('http:', 'ws:')}/socket`);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('error');
        } catch {
          resolve('blocked');
        }
      });
      await new Promise((r) => setTimeout(r, 100));
      return { fetched, socket, violations };
    }, attacker.origin);
    expect(outcome.fetched).toBe('blocked');
    expect(outcome.socket).not.toBe('open');
    expect(outcome.violations).toContain('connect-src');
    expect(attacker.received.slice(before)).toEqual([]);
  });
});
