// Serve mode: the whole UI in any Chromium at http://127.0.0.1:PORT, for machines without the
// Electron binary and for end-to-end tests. Loopback only. Every request passes requestGuard's
// checks first: the Host (DNS rebinding), the Origin and Sec-Fetch-Site (no other origin's page,
// not even another port of 127.0.0.1, gets anything), a well-formed path. Project data (tiles,
// thumbnails, exports, uploads) and the API socket then need the per-launch token, sent
// explicitly by the page (token.ts: no cookie carries it); the renderer's static files do not,
// since they hold nothing of the project. Uploads are bounded (uploadLimit.ts), and so are
// connections: at most `maxConnections` at once, and one whose headers have not all come within
// `headersTimeoutMs` is dropped.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { parseTileBatch, TILE_BATCH_PATH } from '../../src-shared/tileBatch';
import { parseTilePath, tileResponseHeaders } from '../core/app/tileHandler';
import { EXPORT_PATH } from '../api/channels/measurementChannels';
import { MAX_MESSAGE_BYTES, serveApiSocket } from './apiSocket';
import { exportQuery, sendExport } from './exportDownload';
import { allowedHosts, crossOriginRefusal, requestTarget, securityHeaders, SERVE_HOST } from './requestGuard';
import type { ServedApp } from './servedApp';
import { readStaticFile } from './staticFiles';
import { streamTileBatch } from './tileBatch';
import { isAuthorised, newToken } from './token';
import { uploadChoices } from './uploadChoices';
import { ByteLimit, declaredTooLarge, freeDiskBytes, maxUploadFromEnv, positiveIntEnv, uploadLimit } from './uploadLimit';
import { DomainError } from '../api/domainError';

export { SERVE_HOST } from './requestGuard';

export interface ServeOptions {
  app: ServedApp;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  /** Largest upload in bytes, on top of the disk's free space; default MICRA_MAX_UPLOAD_BYTES, else none. */
  maxUploadBytes?: number | null;
  /** Connections open at once; default MICRA_SERVE_MAX_CONNECTIONS, else 64. Further ones are closed at once. */
  maxConnections?: number;
  /** A connection whose request headers have not all arrived by then is closed; default 10 s. */
  headersTimeoutMs?: number;
  /** The free bytes of the disk holding a folder (tests stand in a small disk). */
  freeDiskBytes?: (dir: string) => Promise<number>;
}

export interface ServeLimits {
  readonly maxUploadBytes: number | null;
  readonly maxConnections: number;
  readonly headersTimeoutMs: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly limits: ServeLimits;
  close(): Promise<void>;
}

export const MAX_CONNECTIONS_ENV = 'MICRA_SERVE_MAX_CONNECTIONS';
export const DEFAULT_MAX_CONNECTIONS = 64;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** How long a refused request's remaining body is read (and dropped) so its client sees the answer. */
const LINGER_MS = 2_000;

/**
 * Reads and drops what is left of a request body after the answer, for a moment only: a client
 * still sending sees the answer instead of a reset, and nobody ties the connection up.
 */
function drainRest(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  req.unpipe();
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
}

function resolveLimits(options: ServeOptions): ServeLimits {
  const maxConnections = options.maxConnections ?? positiveIntEnv(process.env, MAX_CONNECTIONS_ENV) ?? DEFAULT_MAX_CONNECTIONS;
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const maxUploadBytes = options.maxUploadBytes === undefined ? maxUploadFromEnv() : options.maxUploadBytes;
  for (const [name, value] of Object.entries({ maxConnections, headersTimeoutMs })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`serve mode: ${name} must be a whole number above 0`);
  }
  return { maxConnections, headersTimeoutMs, maxUploadBytes };
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const { app, rendererDir } = options;
  const limits = resolveLimits(options);
  const freeBytes = options.freeDiskBytes ?? freeDiskBytes;
  let hosts = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host;
    if (!host || !hosts.has(host)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('wrong host');
      return;
    }
    const headers = securityHeaders(host);
    const reply = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { ...headers, 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    };

    const refusal = crossOriginRefusal(req.headers, host);
    if (refusal) return reply(403, refusal);
    const target = requestTarget(req.url, host);
    if (!target.ok) return reply(400, target.error);
    const { url } = target;
    const path = url.pathname;
    const authorised = (): boolean => isAuthorised(req, url, token);

    if (path.startsWith('/tiles/') || path.startsWith('/thumbnails/')) {
      if (!authorised()) return reply(401, 'missing or wrong token');
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
      const address = parseTilePath(path);
      const body = address && (await app.readTile(address));
      if (!body) return reply(404, 'not found');
      res.writeHead(200, { ...headers, ...tileResponseHeaders(body) });
      res.end(req.method === 'HEAD' ? undefined : body.bytes);
      return;
    }
    if (path === TILE_BATCH_PATH) {
      if (!authorised()) return reply(401, 'missing or wrong token');
      if (req.method !== 'GET') return reply(405, 'GET only');
      const items = parseTileBatch(url.searchParams.get('t'));
      if (!items) return reply(400, 'expected ?t=IMAGE.LEVEL.COL.ROW,… (1 to 64 tiles)');
      await streamTileBatch(req, res, items, app.readTile, headers);
      return;
    }
    if (path === EXPORT_PATH) {
      if (!authorised()) return reply(401, 'missing or wrong token');
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'GET only');
      const query = exportQuery(url.searchParams);
      if (!query.ok) return reply(400, query.error);
      await sendExport(res, app, query.request, headers, req.method === 'HEAD');
      return;
    }
    if (path === '/upload') {
      if (req.method !== 'POST') return reply(405, 'POST only');
      // The token of a POST comes in a header, never in the query (token.ts).
      if (!authorised()) return reply(401, 'missing or wrong token');
      const name = url.searchParams.get('name');
      if (!name) return reply(400, 'missing ?name=');
      const choices = uploadChoices(url.searchParams);
      if (!choices.ok) return reply(400, choices.error);
      let projectDir: string;
      try {
        projectDir = app.requireProject().store.dir;
      } catch (err) {
        if (err instanceof DomainError) return reply(409, err.message);
        throw err;
      }
      const limit = await uploadLimit(projectDir, limits.maxUploadBytes, freeBytes);
      if (declaredTooLarge(req.headers['content-length'], limit)) return reply(413, `the file is larger than ${limit.reason}`);
      const body = new ByteLimit(limit);
      req.pipe(body);
      // One outcome per page imported (or skipped), as images.importPaths answers.
      const outcomes = await app.importUpload(name, body, choices.choices);
      // Cut off: the partial copy is already deleted (storeUpload), nothing was imported.
      if (body.exceeded) return reply(413, `the file is larger than ${limit.reason}`);
      return reply(200, JSON.stringify(outcomes), 'application/json');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
    const file = await readStaticFile(rendererDir, path);
    if (!file) return reply(404, 'not found');
    res.writeHead(200, { ...headers, 'content-type': file.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      // No whole-request deadline: a large upload may take minutes. Slow headers are cut off by
      // headersTimeout; at most maxConnections can be held at once.
      requestTimeout: 0,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res)
        .catch((err: unknown) => {
          console.error('serve mode request failed:', err);
          if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
            res.end(err instanceof Error ? err.message : 'internal error');
          } else res.destroy();
        })
        .finally(() => drainRest(req));
    },
  );
  server.maxConnections = limits.maxConnections;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const host = req.headers.host;
    const refuse = (status: string): void => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
    };
    if (!host || !hosts.has(host)) return refuse('421 Misdirected Request');
    if (crossOriginRefusal(req.headers, host)) return refuse('403 Forbidden');
    const target = requestTarget(req.url, host);
    if (!target.ok) return refuse('400 Bad Request');
    if (target.url.pathname !== '/api' || !isAuthorised(req, target.url, token)) return refuse('401 Unauthorized');
    sockets.handleUpgrade(req, socket, head, (ws) => serveApiSocket(ws, app));
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, SERVE_HOST, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);

  return {
    url: `http://${SERVE_HOST}:${port}/?token=${token}`,
    port,
    token,
    limits,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

export function servingLine(url: string): string {
  return `Micra Studio is serving at ${url}`;
}
