// app:// serves the built renderer's files and nothing outside that folder, and hands tile
// addresses to the tile handler.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveRendererFile } from '../../../src-main/electron/appProtocol';

const scratch = mkdtempSync(join(tmpdir(), 'micra-app-scheme-'));
const rendererDir = join(scratch, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Micra</title>');
writeFileSync(join(rendererDir, 'assets', 'index-1.js'), 'console.log(1)');
writeFileSync(join(scratch, 'secret.txt'), 'outside the renderer');
mkdirSync(join(scratch, 'renderer-evil'));
writeFileSync(join(scratch, 'renderer-evil', 'x.js'), 'a sibling folder sharing the prefix');
symlinkSync(join(scratch, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveRendererFile', () => {
  it('maps app://micra URLs to files of the renderer folder', () => {
    expect(resolveRendererFile(rendererDir, 'app://micra/')).toBe(join(rendererDir, 'index.html'));
    expect(resolveRendererFile(rendererDir, 'app://micra/index.html?x=1#y')).toBe(join(rendererDir, 'index.html'));
    expect(resolveRendererFile(rendererDir, 'app://micra/assets/index-1.js')).toBe(join(rendererDir, 'assets', 'index-1.js'));
    expect(resolveRendererFile(rendererDir, 'app://micra/assets/a%20b.js')).toBe(join(rendererDir, 'assets', 'a b.js'));
  });

  it('never leaves the folder, whatever the dot segments, encoded or not', () => {
    for (const url of [
      'app://micra/../secret.txt',
      'app://micra/%2e%2e/secret.txt',
      'app://micra/assets/..%2f..%2fsecret.txt',
      'app://micra/%2e%2e/renderer-evil/x.js',
      'app://micra/assets/..%2f..%2frenderer-evil/x.js',
    ]) {
      const file = resolveRendererFile(rendererDir, url);
      // The URL parser folds plain dot segments into the folder; decoded ones are refused.
      expect(file === null || file.startsWith(rendererDir + sep), `${url} → ${file}`).toBe(true);
    }
    expect(resolveRendererFile(rendererDir, 'app://micra/assets/..%2f..%2fsecret.txt')).toBeNull();
  });

  it('refuses backslashes, NUL bytes, bad escapes and every other origin', () => {
    for (const url of [
      'app://micra/..%5csecret.txt',
      'app://micra/index.html%00.js',
      'app://micra/%E0%A4%A',
      'app://other/index.html',
      'app://user:pw@micra/index.html',
      'file:///etc/passwd',
      'https://micra/index.html',
      'not a url',
    ]) {
      expect(resolveRendererFile(rendererDir, url), url).toBeNull();
    }
  });
});

describe('the app:// handler', () => {
  const tileRequests: string[] = [];
  const handler = createAppProtocolHandler(rendererDir, async (request) => {
    tileRequests.push(new URL(request.url).pathname);
    return new Response('tile', { status: 200 });
  });

  it('serves the renderer files with their content types', async () => {
    const index = await handler(new Request('app://micra/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>Micra</title>');
    const script = await handler(new Request('app://micra/assets/index-1.js'));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for a file outside the folder, a link leading out of it, a folder or a missing file', async () => {
    for (const url of ['app://micra/%2e%2e/secret.txt', 'app://micra/assets/link.txt', 'app://micra/assets', 'app://micra/nope.js']) {
      expect((await handler(new Request(url))).status, url).toBe(404);
    }
    expect((await handler(new Request('app://micra/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('hands tiles and thumbnails to the tile handler', async () => {
    await handler(new Request('app://micra/tiles/1/0/2/3'));
    await handler(new Request('app://micra/thumbnails/4'));
    expect(tileRequests).toEqual(['/tiles/1/0/2/3', '/thumbnails/4']);
  });
});
