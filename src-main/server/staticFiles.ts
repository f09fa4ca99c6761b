// Serves the built renderer. Only files under the renderer directory, resolved and checked,
// with a fixed list of content types.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export async function readStaticFile(rendererDir: string, pathname: string): Promise<StaticFile | null> {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const full = resolve(root, relative);
  if (!full.startsWith(root + sep)) return null;
  const contentType = CONTENT_TYPES[extname(full).toLowerCase()];
  if (!contentType) return null;
  try {
    return { body: await readFile(full), contentType };
  } catch {
    return null;
  }
}
