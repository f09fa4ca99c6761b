// Serve mode over real sockets: token on every request for project data and on the socket,
// tiles only of the open project, uploads streamed into the same import as a local path.
// (Origins, cookies, limits and malformed paths: serveHardening.test.ts.)
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { startServer, type RunningServer } from '../../../src-main/server/serveMode';
import { encodeTestTiff } from '../../generators/tiff/tiffWriter';

let dir: string;
let app: MicraApp;
let server: RunningServer;
let rendererDir: string;

function gradient(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 7 + y * 3) % 256;
  return pixels;
}

async function tiffBytes(width: number, height: number): Promise<Buffer> {
  return encodeTestTiff([{ width, height, channels: 1, bits: 8, samples: gradient(width, height), rowsPerStrip: 64 }]);
}

function base(path: string, token: string | null = server.token): string {
  const url = new URL(path, `http://127.0.0.1:${server.port}`);
  if (token !== null) url.searchParams.set('token', token);
  return url.href;
}

interface UploadOutcome {
  ok: boolean;
  file: string;
  error?: string;
  skippedDuplicateOf?: number;
  page?: number;
  image?: { id: number; name: string; width: number; levelSizes: number[][]; sourcePath: string; notice: string | null };
}

/** All outcomes of an upload (one per page imported or skipped); `query` carries the choices. */
async function uploadPages(name: string, body: Buffer, query = ''): Promise<UploadOutcome[]> {
  const response = await fetch(base(`/upload?name=${encodeURIComponent(name)}${query}`, null), {
    method: 'POST',
    body: new Blob([new Uint8Array(body)]),
    headers: { authorization: `Bearer ${server.token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as UploadOutcome[];
}

async function upload(name: string, body: Buffer): Promise<UploadOutcome> {
  const outcomes = await uploadPages(name, body);
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micra-serve-'));
  rendererDir = join(dir, 'renderer');
  await rm(rendererDir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(rendererDir));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Micra</title>');
  app = createNodeApp('serve');
  await app.openProject(join(dir, 'project'), true);
  server = await startServer({ app, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('serve mode', () => {
  it('binds to loopback and prints the address with its token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  });

  it('answers 401 without the token or with a wrong one, on tiles, thumbnails and uploads', async () => {
    for (const path of ['/tiles/1/0/0/0', '/thumbnails/1']) {
      expect((await fetch(base(path, null))).status).toBe(401);
      expect((await fetch(base(path, 'wrong-token'))).status).toBe(401);
    }
    expect((await fetch(base('/upload?name=a.tif', null), { method: 'POST', body: 'x' })).status).toBe(401);
  });

  it('serves the page and its assets without the token (they hold nothing of the project) and sets no cookie', async () => {
    for (const token of [server.token, null]) {
      const page = await fetch(base('/', token));
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toBeNull();
    }
  });

  it('refuses a socket without the token and serves the MicraApi on one with it', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/api`);
    const code = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('error', (err) => resolve(err.message));
    });
    expect(code).toContain('401');

    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const reply = new Promise<unknown>((resolve) => socket.on('message', (data) => resolve(JSON.parse(data.toString()))));
    socket.send(JSON.stringify({ id: 7, channel: 'app.info', params: {} }));
    expect(await reply).toMatchObject({ kind: 'response', id: 7, ok: true, result: { transport: 'serve', project: { name: 'project' } } });
    const bad = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
    socket.send(JSON.stringify({ id: 8, channel: 'images.get', params: { id: 'x' } }));
    expect(await bad).toMatchObject({ id: 8, ok: false, error: { code: 'bad-request' } });
    socket.close();
  });

  it('imports an upload, serves its tiles, and refuses tiles that are not of the project', async () => {
    const outcome = await upload('gradient.tif', await tiffBytes(700, 300));
    expect(outcome.ok).toBe(true);
    const id = outcome.image!.id;
    expect(outcome.image!.levelSizes).toEqual([[700, 300], [350, 150]]);

    const tile = await fetch(base(`/tiles/${id}/0/1/0`));
    expect(tile.status).toBe(200);
    const bytes = new Uint8Array(await tile.arrayBuffer());
    // Tile (1, 0) of level 0 covers x 512..699: exactly 188 × 300 samples of the gradient.
    expect(bytes.length).toBe(188 * 300);
    expect(bytes[0]).toBe((512 * 7) % 256);
    expect(bytes[188 * 10 + 5]).toBe(((512 + 5) * 7 + 10 * 3) % 256);

    for (const path of [`/tiles/${id}/0/2/0`, `/tiles/${id}/9/0/0`, '/tiles/999/0/0/0', '/tiles/../project.sqlite', `/tiles/${id}/0/0/0/../../../../project.sqlite`, '/project.sqlite', '/..%2fproject%2fproject.sqlite']) {
      expect((await fetch(base(path))).status, path).toBe(404);
    }
    expect((await fetch(base(`/thumbnails/${id}`))).headers.get('content-type')).toBe('image/png');
  });

  it('streams a batch of tiles with the same bytes as one request each, and refuses bad batches', async () => {
    const outcome = await upload('batch.tif', await tiffBytes(700, 300));
    const id = outcome.image!.id;
    const res = await fetch(base(`/tile-batch?t=${id}.0.1.0,${id}.0.2.0,${id}.1.0.0`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-micra-tiles');
    const body = Buffer.from(await res.arrayBuffer());
    const records: (Buffer | null)[] = [];
    for (let at = 0; at < body.length; ) {
      const length = body.readUInt32LE(at + 4);
      records.push(body.readUInt32LE(at) === 0 ? body.subarray(at + 8, at + 8 + length) : null);
      at += 8 + length;
    }
    expect(records).toHaveLength(3);
    expect(records[0]!.equals(Buffer.from(await (await fetch(base(`/tiles/${id}/0/1/0`))).arrayBuffer()))).toBe(true);
    expect(records[1]).toBeNull(); // level 0 has 2 tile columns: (2, 0) does not exist
    expect(records[2]!.equals(Buffer.from(await (await fetch(base(`/tiles/${id}/1/0/0`))).arrayBuffer()))).toBe(true);

    expect((await fetch(base(`/tile-batch?t=${id}.0.1.0`, null))).status).toBe(401);
    for (const bad of ['', '?t=', `?t=${id}.0.1`, `?t=${id}.0.1.0;rm`, '?t=../project.sqlite']) {
      expect((await fetch(base(`/tile-batch${bad}`))).status, bad).toBe(400);
    }
  });

  it('imports every page of a multi-page upload, or one page, when asked', async () => {
    const pages = [0, 1, 2].map((k) => ({ width: 96, height: 64, channels: 1 as const, bits: 8 as const, samples: gradient(96, 64).map((v) => (v + 40 * k) & 255), rowsPerStrip: 16 }));
    const bytes = encodeTestTiff(pages);
    const first = await uploadPages('stack.tif', bytes);
    expect(first.map((o) => [o.ok, o.image?.name])).toEqual([[true, 'stack.tif · page 1/3']]);
    expect(first[0]!.image!.notice).toMatch(/first of its 3 pages only/);
    const each = await uploadPages('stack.tif', bytes, '&pages=each&skipDuplicates=1');
    // Page 1 is already in the project: skipped before building; pages 2 and 3 are imported.
    expect(each.map((o) => [o.ok, o.file, o.skippedDuplicateOf ?? null, o.page ?? null])).toEqual([
      [false, 'stack.tif · page 1/3', first[0]!.image!.id, 0],
      [true, 'stack.tif · page 2/3', null, null],
      [true, 'stack.tif · page 3/3', null, null],
    ]);
    const again = await uploadPages('stack.tif', bytes, '&page=0&skipDuplicates=0');
    expect(again.map((o) => [o.ok, o.image?.name])).toEqual([[true, 'stack.tif · page 1/3']]);
    const db = new Database(join(dir, 'project', 'project.sqlite'), { readonly: true });
    const rows = db.prepare("SELECT name, source_page FROM images WHERE name LIKE 'stack.tif%' ORDER BY id").all();
    db.close();
    expect(rows).toEqual([
      { name: 'stack.tif · page 1/3', source_page: 0 },
      { name: 'stack.tif · page 2/3', source_page: 1 },
      { name: 'stack.tif · page 3/3', source_page: 2 },
      { name: 'stack.tif · page 1/3', source_page: 0 },
    ]);
  });

  it('refuses malformed import choices on an upload with 400 and a reason', async () => {
    const response = await fetch(base('/upload?name=a.tif&pages=all', null), { method: 'POST', body: 'x', headers: { authorization: `Bearer ${server.token}` } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/pages/);
  });

  it('rejects bad uploads with a reason and leaves no row, tile or file behind', async () => {
    const good = await tiffBytes(64, 64);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['notes.txt', Buffer.from('this is not an image'), /not a TIFF/i],
      ['empty.tif', Buffer.alloc(0), /empty/i],
      ['truncated.tif', good.subarray(0, Math.floor(good.length / 3)), /truncated|beyond the end|cut short/i],
    ];
    for (const [name, body, reason] of cases) {
      const outcome = await upload(name, body);
      expect(outcome.ok, name).toBe(false);
      expect(outcome.error, name).toMatch(reason);
    }
    const db = new Database(join(dir, 'project', 'project.sqlite'), { readonly: true });
    const rows = db.prepare("SELECT name, status FROM images WHERE name IN ('notes.txt', 'empty.tif', 'truncated.tif') OR status != 'ready'").all();
    db.close();
    expect(rows).toEqual([]);
    const sources = await readdir(join(dir, 'project', 'sources'));
    expect(sources.filter((f) => /notes|empty|truncated|\.upload-/.test(f))).toEqual([]);
  });
});
