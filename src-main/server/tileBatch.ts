// Answers GET /tile-batch (protocol in src-shared/tileBatch.ts): the tiles in the order asked, each
// written when the previous one has left, and no further tile read once the page has closed
// the request (it does when the view moved on and no tile of the batch is wanted any more).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TileBatchItem } from '../../src-shared/tileBatch';
import { TILE_FOUND, TILE_NOT_FOUND, TILE_RECORD_HEADER_BYTES } from '../../src-shared/tileBatch';
import type { TileReader } from '../core/app/tileHandler';

export function tileRecord(bytes: Buffer | null): Buffer {
  const header = Buffer.alloc(TILE_RECORD_HEADER_BYTES);
  header.writeUInt32LE(bytes ? TILE_FOUND : TILE_NOT_FOUND, 0);
  header.writeUInt32LE(bytes?.byteLength ?? 0, 4);
  return bytes ? Buffer.concat([header, bytes]) : header;
}

export async function streamTileBatch(
  req: IncomingMessage,
  res: ServerResponse,
  items: readonly TileBatchItem[],
  readTile: TileReader,
  headers: Record<string, string>,
): Promise<void> {
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { ...headers, 'content-type': 'application/x-micra-tiles', 'cache-control': 'no-store' });
  for (const item of items) {
    if (closed || req.destroyed) return;
    const body = await readTile({ kind: 'tile', ...item });
    if (closed) return;
    if (!res.write(tileRecord(body?.bytes ?? null))) {
      await new Promise<void>((drained) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          drained();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!closed) res.end();
}
