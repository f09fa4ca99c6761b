// The one place tile and thumbnail addresses are understood. Electron mounts the fetch-style
// handler in its app:// protocol; serve mode answers the same addresses from Node's HTTP
// server, singly and in tile batches, without building fetch Requests and Responses. File paths
// are built from validated numbers, never from the URL text, so no request can reach any
// other file.
import type { TileBatchItem } from '../../../src-shared/tileBatch';

export interface TileLookup {
  /** The tile's bytes if the image belongs to the open project and the tile exists. */
  readTile(imageId: number, level: number, col: number, row: number): Promise<Buffer | null>;
  readThumbnail(imageId: number): Promise<Buffer | null>;
}

export type TileAddress = ({ readonly kind: 'tile' } & TileBatchItem) | { readonly kind: 'thumbnail'; readonly imageId: number };

export interface TileBody {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/** Reads what an address names from the open project; null when it does not exist. */
export type TileReader = (address: TileAddress) => Promise<TileBody | null>;

export type TileHandler = (request: Request) => Promise<Response>;

const TILE_PATH = /^\/tiles\/(\d{1,9})\/(\d{1,2})\/(\d{1,7})\/(\d{1,7})$/;
const THUMBNAIL_PATH = /^\/thumbnails\/(\d{1,9})$/;

/** The address a URL path names, or null for anything else (no lookup is made for those). */
export function parseTilePath(pathname: string): TileAddress | null {
  const tile = TILE_PATH.exec(pathname);
  if (tile) {
    const [imageId, level, col, row] = tile.slice(1).map(Number) as [number, number, number, number];
    return { kind: 'tile', imageId, level, col, row };
  }
  const thumb = THUMBNAIL_PATH.exec(pathname);
  return thumb ? { kind: 'thumbnail', imageId: Number(thumb[1]) } : null;
}

export function createTileReader(currentLookup: () => TileLookup | null): TileReader {
  return async (address) => {
    const lookup = currentLookup();
    if (lookup === null) return null;
    try {
      if (address.kind === 'thumbnail') {
        const bytes = await lookup.readThumbnail(address.imageId);
        return bytes && { bytes, contentType: 'image/png' };
      }
      const bytes = await lookup.readTile(address.imageId, address.level, address.col, address.row);
      return bytes && { bytes, contentType: 'application/octet-stream' };
    } catch {
      return null; // an unreadable tile is answered like a missing one: the viewer draws the coarser level
    }
  };
}

export function tileResponseHeaders(body: TileBody): Record<string, string> {
  return {
    'content-type': body.contentType,
    'content-length': String(body.bytes.byteLength),
    // Tiles of an image id never change once written; the id is never reused.
    'cache-control': 'private, max-age=86400',
    'x-content-type-options': 'nosniff',
  };
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}

export function createTileHandler(read: TileReader): TileHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405 });
    }
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return notFound();
    }
    const address = parseTilePath(pathname);
    const body = address && (await read(address));
    if (!body) return notFound();
    const { bytes } = body;
    return new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), {
      status: 200,
      headers: tileResponseHeaders(body),
    });
  };
}
