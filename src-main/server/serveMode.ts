// Serve mode: the whole UI in any Chromium at http://127.0.0.1:PORT, for machines without the
// Electron binary and for end-to-end tests. Loopback only; a per-launch token on every request
// and socket; the Host and Origin headers are checked against DNS rebinding and cross-site
// sockets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { WebSocketServer } from 'ws';
import { parseTileBatch, TILE_BATCH_PATH } from '../api/tileBatch';
import { parseTilePath, tileResponseHeaders } from '../core/app/tileHandler';
import { EXPORT_PATH } from '../api/channels/measurementChannels';
import { serveApiSocket } from './apiSocket';
import { exportQuery, sendExport } from './exportDownload';
import type { ServedApp } from './servedApp';
import { readStaticFile } from './staticFiles';
import { streamTileBatch } from './tileBatch';
import { isAuthorised, newToken, tokenCookie } from './token';
import { uploadChoices } from './uploadChoices';

export interface ServeOptions {
  app: ServedApp;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const SERVE_HOST = '127.0.0.1';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function reply(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType });
  res.end(body);
}

function allowedHosts(port: number): Set<string> {
  return new Set([`${SERVE_HOST}:${port}`, `localhost:${port}`]);
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const { app, rendererDir } = options;
  let hosts = new Set<string>();

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!req.headers.host || !hosts.has(req.headers.host)) return reply(res, 421, 'wrong host');
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (!isAuthorised(req, url, token)) return reply(res, 401, 'missing or wrong token');

      if (url.pathname.startsWith('/tiles/') || url.pathname.startsWith('/thumbnails/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed');
        const address = parseTilePath(url.pathname);
        const body = address && (await app.readTile(address));
        if (!body) return reply(res, 404, 'not found');
        res.writeHead(200, { ...SECURITY_HEADERS, ...tileResponseHeaders(body) });
        res.end(req.method === 'HEAD' ? undefined : body.bytes);
        return;
      }
      if (url.pathname === TILE_BATCH_PATH) {
        if (req.method !== 'GET') return reply(res, 405, 'GET only');
        const items = parseTileBatch(url.searchParams.get('t'));
        if (!items) return reply(res, 400, 'expected ?t=IMAGE.LEVEL.COL.ROW,… (1 to 64 tiles)');
        await streamTileBatch(req, res, items, app.readTile, SECURITY_HEADERS);
        return;
      }
      if (url.pathname === EXPORT_PATH) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'GET only');
        const query = exportQuery(url.searchParams);
        if (!query.ok) return reply(res, 400, query.error);
        await sendExport(res, app, query.request, SECURITY_HEADERS, req.method === 'HEAD');
        return;
      }
      if (url.pathname === '/upload') {
        if (req.method !== 'POST') return reply(res, 405, 'POST only');
        const name = url.searchParams.get('name');
        if (!name) return reply(res, 400, 'missing ?name=');
        const choices = uploadChoices(url.searchParams);
        if (!choices.ok) return reply(res, 400, choices.error);
        // One outcome per page imported (or skipped), as images.importPaths answers.
        const outcomes = await app.importUpload(name, req as Readable, choices.choices);
        return reply(res, 200, JSON.stringify(outcomes), 'application/json');
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed');
      const file = await readStaticFile(rendererDir, url.pathname);
      if (!file) return reply(res, 404, 'not found');
      const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': file.contentType };
      if (url.searchParams.has('token')) headers['set-cookie'] = tokenCookie(token);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : file.body);
    } catch (err) {
      console.error('serve mode request failed:', err);
      if (!res.headersSent) reply(res, 500, err instanceof Error ? err.message : 'internal error');
      else res.destroy();
    }
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'invalid'}`);
    const origin = req.headers.origin;
    const originOk = origin === undefined || hosts.has(origin.replace(/^http:\/\//, ''));
    const hostOk = req.headers.host !== undefined && hosts.has(req.headers.host);
    if (url.pathname !== '/api' || !hostOk || !originOk || !isAuthorised(req, url, token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
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
