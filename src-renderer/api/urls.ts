// Where the renderer finds things, for both transports. Electron serves tiles under the
// `micra://app/` scheme (no token: the scheme is private to the app); serve mode serves them
// from the page's origin and needs the per-launch token on every request.
import type { TileBatchItem, TileBatchPath } from '../../src-main/api/tileBatch';

export interface Endpoint {
  /** Ends with '/': 'micra://app/' or 'http://127.0.0.1:PORT/'. */
  readonly base: string;
  /** Serve-mode token, null in Electron. */
  readonly token: string | null;
}

function withToken(url: string, token: string | null): string {
  if (token === null) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

export function tileUrl(ep: Endpoint, imageId: number, level: number, col: number, row: number): string {
  return withToken(`${ep.base}tiles/${imageId}/${level}/${col}/${row}`, ep.token);
}

/** Serve mode's batch of tiles, streamed in one response (src-main/api/tileBatch.ts). */
export function tileBatchUrl(ep: Endpoint, tiles: readonly TileBatchItem[]): string {
  const path: TileBatchPath = '/tile-batch';
  const list = tiles.map((t) => `${t.imageId}.${t.level}.${t.col}.${t.row}`).join(',');
  return withToken(`${ep.base}${path.slice(1)}?t=${list}`, ep.token);
}

export function thumbnailUrl(ep: Endpoint, imageId: number, version = ''): string {
  // `version` busts the browser cache once an import finishes and the thumbnail changes.
  const url = `${ep.base}thumbnails/${imageId}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
  return withToken(url, ep.token);
}

/** Serve mode's export download (GET /export, src-main/server/exportDownload.ts). */
export function exportUrl(ep: Endpoint, request: { format: string; objects?: 'accepted' | 'all'; imageId?: number }): string {
  const query = [`format=${encodeURIComponent(request.format)}`, `objects=${request.objects ?? 'accepted'}`];
  if (request.imageId !== undefined) query.push(`image=${request.imageId}`);
  return withToken(`${ep.base}export?${query.join('&')}`, ep.token);
}

/** What the server is asked to do with an upload (as images.importPaths's params). */
export interface UploadChoices {
  pages?: 'first' | 'each';
  page?: number;
  skipDuplicates?: boolean;
}

export function uploadUrl(ep: Endpoint, fileName: string, choices: UploadChoices = {}): string {
  const query = [`name=${encodeURIComponent(fileName)}`];
  if (choices.pages) query.push(`pages=${choices.pages}`);
  if (choices.page !== undefined) query.push(`page=${choices.page}`);
  if (choices.skipDuplicates !== undefined) query.push(`skipDuplicates=${choices.skipDuplicates ? 1 : 0}`);
  return withToken(`${ep.base}upload?${query.join('&')}`, ep.token);
}

/** The token in a serve-mode page URL (`?token=…`), or null. */
export function tokenFromSearch(search: string): string | null {
  return new URLSearchParams(search).get('token');
}

/** ws://HOST/api?token=T (wss on https pages). */
export function webSocketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

export function serveEndpoint(origin: string, token: string): Endpoint {
  return { base: `${origin}/`, token };
}
