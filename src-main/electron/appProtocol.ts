// The app:// protocol: the built renderer's files, confined to its folder, and the tile
// handler for /tiles/ and /thumbnails/. Registered with protocol.handle in main.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './ipcChannels';

/** Privileges of app:// (registered before the app is ready): a standard, secure origin with fetch. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true } as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Tile and thumbnail addresses go to the tile handler, which understands them (core/app/tileHandler). */
export function isTileRequestPath(pathname: string): boolean {
  return pathname.startsWith('/tiles/') || pathname.startsWith('/thumbnails/');
}

/**
 * The file of the renderer folder an app:// URL names, or null when the URL is not ours or its
 * path would leave the folder (`..`, encoded or not, a backslash, a NUL byte).
 */
export function resolveRendererFile(rendererDir: string, url: string): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname.toLowerCase() !== APP_HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}

/** app:// requests: tiles to `tiles`, everything else a file of `rendererDir`, or 404. */
export function createAppProtocolHandler(rendererDir: string, tiles: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return notFound();
    }
    if (isTileRequestPath(pathname)) return tiles(request);
    const file = resolveRendererFile(rendererDir, request.url);
    if (file === null) return notFound();
    try {
      // A link inside the folder must not lead out of it either.
      const [realRoot, realFile] = await Promise.all([realpath(rendererDir), realpath(file)]);
      if (!realFile.startsWith(realRoot + sep) || !(await stat(realFile)).isFile()) return notFound();
      const body = await readFile(realFile);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          'content-type': CONTENT_TYPES[extname(realFile).toLowerCase()] ?? 'application/octet-stream',
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return notFound();
    }
  };
}
