// Serve mode against what another origin, or another process, can send it (issue #14, items
// 1–4), over real sockets:
// - no ambient credential: a request without the token, with it only in a cookie, or with it in
//   the query of a POST is refused; Origin from another port and Sec-Fetch-Site other than
//   same-origin/none get 403 on every route and on the socket; the CSP names the app's origin only;
// - uploads bounded by a cap and by the disk's free space: 413 with and without Content-Length,
//   and nothing left in sources/ nor in the database;
// - malformed percent-escapes answer 400;
// - at most maxConnections at once, and a connection that is slow to send its headers is dropped.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { startServer, type RunningServer } from '../../../src-main/server/serveMode';
import { UPLOAD_DISK_MARGIN_BYTES } from '../../../src-main/server/uploadLimit';
import { encodeTestTiff } from '../../generators/tiff/tiffWriter';

let dir: string;
let projectDir: string;
let app: MicraApp;
let server: RunningServer;
let rendererDir: string;
const extra: RunningServer[] = [];
let imageId: number;

const MB = 1024 * 1024;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent with Content-Length. */
  body?: Buffer;
  /** Sent chunked, without Content-Length, in pieces of 64 KiB. */
  chunked?: Buffer;
  port?: number;
}

/** One request with exactly the headers given (node:http adds only Host, and Content-Length or chunking). */
function send(r: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: r.port ?? server.port, method: r.method ?? 'GET', path: r.path, headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    // A server that answers early may close while we still send: the answer is what counts.
    req.on('error', reject);
    if (r.body) req.end(r.body);
    else if (r.chunked) {
      const data = r.chunked;
      let at = 0;
      const pump = (): void => {
        while (at < data.length) {
          const piece = data.subarray(at, at + 64 * 1024);
          at += piece.length;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else req.end();
  });
}

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` });

function gradient(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 5 + y * 3) % 256;
  return pixels;
}

const tiff = (width: number, height: number): Buffer => encodeTestTiff([{ width, height, channels: 1, bits: 8, samples: gradient(width, height), rowsPerStrip: 64 }]);

function imageCount(): number {
  const db = new Database(join(projectDir, 'project.sqlite'), { readonly: true });
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number };
  db.close();
  return n;
}

const sources = (): Promise<string[]> => readdir(join(projectDir, 'sources')).then((f) => f.sort());

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micra-serve-hardening-'));
  rendererDir = join(dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Micra</title>');
  projectDir = join(dir, 'project');
  app = createNodeApp('serve');
  await app.openProject(projectDir, true);
  server = await startServer({ app, rendererDir });
  const first = await send({ method: 'POST', path: '/upload?name=first.tif', headers: bearer(), body: tiff(300, 200) });
  expect(first.status).toBe(200);
  imageId = (JSON.parse(first.body) as Array<{ image: { id: number } }>)[0]!.image.id;
});

afterAll(async () => {
  for (const s of extra) await s.close();
  await server?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('no ambient credential', () => {
  it('refuses project data without the token, with a wrong one, and with the token only in a cookie', async () => {
    const paths = [`/thumbnails/${imageId}`, `/tiles/${imageId}/0/0/0`, `/tile-batch?t=${imageId}.0.0.0`, '/export?format=objects-csv'];
    for (const path of paths) {
      expect((await send({ path })).status, path).toBe(401);
      expect((await send({ path, headers: { authorization: 'Bearer wrong' } })).status, path).toBe(401);
      for (const name of ['micra_token', 'token']) {
        expect((await send({ path, headers: { cookie: `${name}=${server.token}` } })).status, `${path} cookie ${name}`).toBe(401);
      }
      expect((await send({ path, headers: bearer() })).status, path).toBe(200);
      expect((await send({ path, headers: { 'x-micra-token': server.token } })).status, path).toBe(200);
    }
    // Where no header can go (an <img src>, a download link), the query carries it: GET only.
    expect((await send({ path: `/thumbnails/${imageId}?token=${server.token}` })).status).toBe(200);
  });

  it('refuses an upload without the token, with it in a cookie, and with it in the query: a POST takes it from a header only', async () => {
    const before = imageCount();
    const body = tiff(64, 64);
    for (const [path, headers] of [
      ['/upload?name=anon.tif', {}],
      ['/upload?name=cookie.tif', { cookie: `micra_token=${server.token}` }],
      [`/upload?name=query.tif&token=${server.token}`, {}],
    ] as Array<[string, Record<string, string>]>) {
      expect((await send({ method: 'POST', path, headers, body })).status, path).toBe(401);
    }
    expect(imageCount()).toBe(before);
    expect((await sources()).filter((f) => /anon|cookie|query|\.upload-/.test(f))).toEqual([]);
  });

  it('sets no cookie, on the page opened with its token or on anything else', async () => {
    for (const path of [`/?token=${server.token}`, '/', `/thumbnails/${imageId}?token=${server.token}`]) {
      expect((await send({ path })).headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('answers 403 to a request from another origin (another port of 127.0.0.1 too), on every route, token or not', async () => {
    const before = imageCount();
    const foreign = [`http://127.0.0.1:${server.port + 1}`, `http://localhost:${server.port}`, 'null', 'http://evil.example'];
    for (const origin of foreign) {
      for (const r of [
        { path: '/' },
        { path: '/index.html' },
        { path: `/thumbnails/${imageId}?token=${server.token}` },
        { path: `/tiles/${imageId}/0/0/0`, headers: bearer() },
        { path: '/export?format=objects-csv', headers: bearer() },
        { method: 'POST', path: '/upload?name=cross.tif', headers: bearer(), body: tiff(64, 64) },
        { method: 'OPTIONS', path: '/upload?name=cross.tif' },
      ] as RawRequest[]) {
        const answer = await send({ ...r, headers: { ...r.headers, origin } });
        expect(answer.status, `${origin} ${r.method ?? 'GET'} ${r.path}`).toBe(403);
      }
    }
    expect(imageCount()).toBe(before);
    // The app's own origin, as its page sends it, passes.
    const own = await send({ method: 'POST', path: '/upload?name=own.tif', headers: { ...bearer(), origin: `http://127.0.0.1:${server.port}` }, body: tiff(64, 48) });
    expect(own.status).toBe(200);
    expect(imageCount()).toBe(before + 1);
  });

  it('answers 403 when Sec-Fetch-Site is anything but same-origin or none', async () => {
    for (const site of ['cross-site', 'same-site']) {
      for (const r of [{ path: '/' }, { path: `/thumbnails/${imageId}?token=${server.token}` }, { method: 'POST', path: '/upload?name=site.tif', headers: bearer(), body: Buffer.from('x') }] as RawRequest[]) {
        expect((await send({ ...r, headers: { ...r.headers, 'sec-fetch-site': site } })).status, `${site} ${r.path}`).toBe(403);
      }
    }
    // A link on another site to the app's address: refused, saying how to open it.
    const navigation = await send({ path: `/?token=${server.token}`, headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    expect(navigation.status).toBe(403);
    expect(navigation.body).toMatch(/paste it into the address bar/);
    for (const site of ['same-origin', 'none']) {
      expect((await send({ path: `/thumbnails/${imageId}`, headers: { ...bearer(), 'sec-fetch-site': site } })).status, site).toBe(200);
    }
  });

  it('refuses the API socket to another origin even with the token', async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { headers });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        socket.on('error', (err) => resolve(err.message));
      });
    expect(await status({ origin: `http://127.0.0.1:${server.port + 1}` })).toBe('403');
    expect(await status({ 'sec-fetch-site': 'same-site' })).toBe('403');
    expect(await status({ origin: `http://127.0.0.1:${server.port}` })).toBe('open');
  });

  it('serves a CSP that lets the page connect to its own origin only, with no <base> and no forms', async () => {
    for (const path of ['/', '/missing.js']) {
      const csp = String((await send({ path })).headers['content-security-policy'] ?? '');
      const directives = new Map(csp.split(';').map((d: string) => { const [name, ...values] = d.trim().split(/\s+/); return [name!, values] as const; }));
      expect(directives.get('connect-src'), path).toEqual(["'self'", `ws://127.0.0.1:${server.port}`]);
      expect(directives.get('base-uri'), path).toEqual(["'none'"]);
      expect(directives.get('form-action'), path).toEqual(["'none'"]);
      expect(directives.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(directives.get('script-src'), path).toEqual(["'self'"]);
      expect(csp, path).not.toMatch(/\bws:(\s|;|$)|\bwss:|\*/);
    }
    // The page opened as http://localhost:PORT names that origin.
    const byName = await send({ path: '/', headers: { host: `localhost:${server.port}` } });
    expect(byName.headers['content-security-policy']).toContain(`connect-src 'self' ws://localhost:${server.port};`);
  });
});

describe('bounded uploads', () => {
  async function capped(options: Partial<Parameters<typeof startServer>[0]>): Promise<RunningServer> {
    const s = await startServer({ app, rendererDir, token: server.token, ...options });
    extra.push(s);
    return s;
  }

  it('refuses an upload over the cap with 413, with or without Content-Length, and leaves nothing behind', async () => {
    const small = await capped({ maxUploadBytes: 1 * MB });
    const before = { images: imageCount(), files: await sources() };
    const big = Buffer.concat([tiff(512, 512), Buffer.alloc(2 * MB - 512 * 512, 7)]);
    expect(big.length).toBeGreaterThan(2 * MB - 1);

    const declared = await send({ port: small.port, method: 'POST', path: '/upload?name=declared.tif', headers: bearer(), body: big });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/larger than the upload limit of 1\.0 MB/);

    const chunked = await send({ port: small.port, method: 'POST', path: '/upload?name=chunked.tif', headers: bearer(), chunked: big });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toMatch(/larger than the upload limit/);

    expect(imageCount()).toBe(before.images);
    expect(await sources()).toEqual(before.files);

    // Under the cap, with and without Content-Length, an upload is imported as before.
    const fits = await send({ port: small.port, method: 'POST', path: '/upload?name=fits.tif', headers: bearer(), chunked: tiff(320, 240) });
    expect(fits.status).toBe(200);
    expect((JSON.parse(fits.body) as Array<{ ok: boolean }>)[0]!.ok).toBe(true);
    expect(imageCount()).toBe(before.images + 1);
  });

  it('refuses an upload larger than the free space of the project disk, less the margin', async () => {
    const tight = await capped({ maxUploadBytes: null, freeDiskBytes: async () => UPLOAD_DISK_MARGIN_BYTES + 1 * MB });
    const before = { images: imageCount(), files: await sources() };
    const big = Buffer.alloc(2 * MB, 1);
    for (const how of ['body', 'chunked'] as const) {
      const answer = await send({ port: tight.port, method: 'POST', path: `/upload?name=${how}.tif`, headers: bearer(), [how]: big });
      expect(answer.status, how).toBe(413);
      expect(answer.body, how).toMatch(/free space of the project's disk \(1\.0 MB/);
    }
    expect(imageCount()).toBe(before.images);
    expect(await sources()).toEqual(before.files);
  });

  it('takes the cap from MICRA_MAX_UPLOAD_BYTES and refuses a malformed one', async () => {
    const saved = process.env.MICRA_MAX_UPLOAD_BYTES;
    try {
      process.env.MICRA_MAX_UPLOAD_BYTES = '1048576';
      expect((await capped({})).limits.maxUploadBytes).toBe(MB);
      process.env.MICRA_MAX_UPLOAD_BYTES = '1 GB';
      await expect(startServer({ app, rendererDir })).rejects.toThrow(/MICRA_MAX_UPLOAD_BYTES/);
    } finally {
      if (saved === undefined) delete process.env.MICRA_MAX_UPLOAD_BYTES;
      else process.env.MICRA_MAX_UPLOAD_BYTES = saved;
    }
  });
});

describe('malformed paths', () => {
  it('answers 400, not 500, to percent-escapes that do not decode', async () => {
    for (const path of ['/%E0%A4%A', '/thumbnails/%ZZ', `/tiles/%ZZ/0/0/0`, '/%', '/assets/%C0%AF.js', '/upload%ZZ']) {
      expect((await send({ path, headers: bearer() })).status, path).toBe(400);
      expect((await send({ path })).status, `${path} without token`).toBe(400);
    }
    expect((await send({ method: 'POST', path: '/upload%ZZ?name=a.tif', headers: bearer(), body: Buffer.from('x') })).status).toBe(400);
    // A well-formed escape still reaches its route.
    expect((await send({ path: '/%69ndex.html' })).status).toBe(200);
  });
});

describe('connections', () => {
  function openIdle(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', reject);
    });
  }

  function closedWithin(socket: Socket, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (socket.destroyed || socket.readableEnded) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      socket.once('close', done);
      socket.once('end', done);
      socket.on('error', () => undefined);
      socket.resume();
    });
  }

  it('defaults to 64 connections and a 10 s headers timeout', () => {
    expect(server.limits).toMatchObject({ maxConnections: 64, headersTimeoutMs: 10_000 });
  });

  it('closes the connection over the cap at once, and takes new ones once some have gone', async () => {
    const s = await startServer({ app, rendererDir, headersTimeoutMs: 60_000 });
    extra.push(s);
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 64; i++) idle.push(await openIdle(s.port));
      await new Promise((r) => setTimeout(r, 300)); // let the server accept them all
      const over = await openIdle(s.port);
      expect(await closedWithin(over, 3_000)).toBe(true);
      expect(await closedWithin(idle[0]!, 200)).toBe(false); // the ones within the cap stay open
      for (const socket of idle.splice(0, 4)) socket.destroy();
      await new Promise((r) => setTimeout(r, 300));
      expect((await send({ port: s.port, path: '/' })).status).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it('drops a connection whose headers come too slowly, and one that sends nothing', async () => {
    const s = await startServer({ app, rendererDir, headersTimeoutMs: 1_000 });
    extra.push(s);
    const slow = await openIdle(s.port);
    slow.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n`);
    const drip = setInterval(() => {
      if (!slow.destroyed) slow.write('X-Slow: a\r\n');
    }, 200);
    const silent = await openIdle(s.port);
    try {
      // Generous: the timeout is 1 s, checked every second; the point is that it closes at all.
      const [slowClosed, silentClosed] = await Promise.all([closedWithin(slow, 15_000), closedWithin(silent, 15_000)]);
      expect(slowClosed).toBe(true);
      expect(silentClosed).toBe(true);
    } finally {
      clearInterval(drip);
      slow.destroy();
      silent.destroy();
    }
    // A prompt request on the same server is answered as usual.
    expect((await send({ port: s.port, path: '/' })).status).toBe(200);
  });
});
