// The one tile handler `(Request) => Response`, mounted as the micra:// protocol in Electron
// and under HTTP in serve mode. It answers only URLs that name a tile or thumbnail of an image
// of the open project; file paths are built from validated numbers, never from the URL text,
// so no request can reach any other file.
export interface TileLookup {
  /** The tile's bytes if the image belongs to the open project and the tile exists. */
  readTile(imageId: number, level: number, col: number, row: number): Promise<Buffer | null>;
  readThumbnail(imageId: number): Promise<Buffer | null>;
}

export type TileHandler = (request: Request) => Promise<Response>;

const TILE_PATH = /^\/tiles\/(\d{1,9})\/(\d{1,2})\/(\d{1,7})\/(\d{1,7})$/;
const THUMBNAIL_PATH = /^\/thumbnails\/(\d{1,9})$/;

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}

async function bytesResponse(read: Promise<Buffer | null>, contentType: string): Promise<Response> {
  let body: Buffer | null;
  try {
    body = await read;
  } catch {
    return notFound();
  }
  if (body === null) return notFound();
  return new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
    status: 200,
    headers: {
      'content-type': contentType,
      'content-length': String(body.byteLength),
      // Tiles of an image id never change once written; the id is never reused.
      'cache-control': 'private, max-age=86400',
      'x-content-type-options': 'nosniff',
    },
  });
}

export function createTileHandler(currentLookup: () => TileLookup | null): TileHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405 });
    }
    const lookup = currentLookup();
    if (lookup === null) return notFound();
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return notFound();
    }
    const tile = TILE_PATH.exec(pathname);
    if (tile) {
      const [imageId, level, col, row] = tile.slice(1).map(Number) as [number, number, number, number];
      return bytesResponse(lookup.readTile(imageId, level, col, row), 'application/octet-stream');
    }
    const thumb = THUMBNAIL_PATH.exec(pathname);
    if (thumb) return bytesResponse(lookup.readThumbnail(Number(thumb[1])), 'image/png');
    return notFound();
  };
}
