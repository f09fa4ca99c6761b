// Where the renderer finds things, for both transports. Electron serves tiles under the
// `app://micra/` origin (no token: the scheme is private to the app); serve mode serves them
// from the page's origin and needs the per-launch token on every request for project data.
// The token is never a cookie (serve mode refuses to read one): fetches and uploads send it in
// the Authorization header (authHeaders), and only what cannot send a header carries it in the
// query: a thumbnail's <img src> and the API WebSocket.
import { TILE_BATCH_PATH, type TileBatchItem } from '../../src-shared/tileBatch';

export interface Endpoint {
  /** Ends with '/': 'app://micra/' or 'http://127.0.0.1:PORT/'. */
  readonly base: string;
  /** Serve-mode token, null in Electron. */
  readonly token: string | null;
}

/** The headers that authorise a fetch of this endpoint (none in Electron). */
export function authHeaders(ep: Endpoint): Record<string, string> {
  return ep.token === null ? {} : { authorization: `Bearer ${ep.token}` };
}

function withToken(url: string, token: string | null): string {
  if (token === null) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

/** Fetched with authHeaders. */
export function tileUrl(ep: Endpoint, imageId: number, level: number, col: number, row: number): string {
  return `${ep.base}tiles/${imageId}/${level}/${col}/${row}`;
}

/** Serve mode's batch of tiles, streamed in one response (src-shared/tileBatch.ts); fetched with authHeaders. */
export function tileBatchUrl(ep: Endpoint, tiles: readonly TileBatchItem[]): string {
  const list = tiles.map((t) => `${t.imageId}.${t.level}.${t.col}.${t.row}`).join(',');
  return `${ep.base}${TILE_BATCH_PATH.slice(1)}?t=${list}`;
}

/** For an <img src>, which cannot send a header: the token rides in the query. */
export function thumbnailUrl(ep: Endpoint, imageId: number, version = ''): string {
  // `version` busts the browser cache once an import finishes and the thumbnail changes.
  const url = `${ep.base}thumbnails/${imageId}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
  return withToken(url, ep.token);
}

/** Serve mode's export download (GET /export, src-main/server/exportDownload.ts); fetched with authHeaders. */
export function exportUrl(ep: Endpoint, request: { format: string; objects?: 'accepted' | 'all'; imageId?: number }): string {
  const query = [`format=${encodeURIComponent(request.format)}`, `objects=${request.objects ?? 'accepted'}`];
  if (request.imageId !== undefined) query.push(`image=${request.imageId}`);
  return `${ep.base}export?${query.join('&')}`;
}

/** What the server is asked to do with an upload (as images.importPaths's params). */
export interface UploadChoices {
  pages?: 'first' | 'each';
  page?: number;
  skipDuplicates?: boolean;
}

/** POSTed with authHeaders (serve mode takes a POST's token from a header only). */
export function uploadUrl(ep: Endpoint, fileName: string, choices: UploadChoices = {}): string {
  const query = [`name=${encodeURIComponent(fileName)}`];
  if (choices.pages) query.push(`pages=${choices.pages}`);
  if (choices.page !== undefined) query.push(`page=${choices.page}`);
  if (choices.skipDuplicates !== undefined) query.push(`skipDuplicates=${choices.skipDuplicates ? 1 : 0}`);
  return `${ep.base}upload?${query.join('&')}`;
}

/** ws://HOST/api?token=T (wss on https pages): a browser's WebSocket cannot send headers. */
export function webSocketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

export function serveEndpoint(origin: string, token: string): Endpoint {
  return { base: `${origin}/`, token };
}
