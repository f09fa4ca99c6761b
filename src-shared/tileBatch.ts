// Tile batches (serve mode): many tiles in one streamed HTTP response.
// In Chromium every HTTP request costs a round trip through the browser's network service, at
// most six run at once per host, and small responses move slowly; one response that streams
// the tiles a view needs moved 256 KB tiles 2–3 times faster than one request or one WebSocket
// message per tile (measured on this project's 2-core machine).
//
//   GET /tile-batch?t=IMAGE.LEVEL.COL.ROW,IMAGE.LEVEL.COL.ROW,…   (1 to TILE_BATCH_MAX; token in the
//   Authorization header)
//   200 application/x-micra-tiles: one record per tile, in the order asked, each
//     uint32 LE status (TILE_FOUND | TILE_NOT_FOUND), uint32 LE byte length, then the bytes.
//   400 when the list is malformed (nothing is read).
// Closing the request stops the stream: the server reads no further tile.
// Both ends import these values (server/tileBatch.ts writes the stream, the page's
// api/tileBatchSource.ts and api/tileRecords.ts read it), so they cannot drift apart.
export const TILE_BATCH_PATH = '/tile-batch';
export const TILE_BATCH_MAX = 64;
export const TILE_RECORD_HEADER_BYTES = 8;
export const TILE_FOUND = 0;
export const TILE_NOT_FOUND = 1;

/** A tile of an image, by its numbers. */
export interface TileBatchItem {
  readonly imageId: number;
  readonly level: number;
  readonly col: number;
  readonly row: number;
}

const ITEM = /^(\d{1,9})\.(\d{1,2})\.(\d{1,7})\.(\d{1,7})$/;

/** The tiles a `t=` list names, or null when it is empty, too long or malformed. */
export function parseTileBatch(list: string | null): TileBatchItem[] | null {
  if (!list) return null;
  const parts = list.split(',');
  if (parts.length > TILE_BATCH_MAX) return null;
  const items: TileBatchItem[] = [];
  for (const part of parts) {
    const m = ITEM.exec(part);
    if (!m) return null;
    const [imageId, level, col, row] = m.slice(1).map(Number) as [number, number, number, number];
    items.push({ imageId, level, col, row });
  }
  return items;
}
