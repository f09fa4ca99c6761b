// Tile batches on the server: the list they accept, and a batch whose page has gone away
// stops reading tiles.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTileBatch, TILE_BATCH_MAX } from '../../../src-shared/tileBatch';
import type { TileReader } from '../../../src-main/core/app/tileHandler';
import { streamTileBatch } from '../../../src-main/server/tileBatch';

describe('parseTileBatch', () => {
  it('reads IMAGE.LEVEL.COL.ROW items', () => {
    expect(parseTileBatch('3.0.1.2,3.5.0.0')).toEqual([
      { imageId: 3, level: 0, col: 1, row: 2 },
      { imageId: 3, level: 5, col: 0, row: 0 },
    ]);
  });

  it('refuses empty, malformed and too long lists', () => {
    const tooMany = Array.from({ length: TILE_BATCH_MAX + 1 }, () => '1.0.0.0').join(',');
    for (const bad of [null, '', '3.0.1', '3.0.1.2,', '3.0.1.-2', '3.0.1.2.4', '../x', '3.100.0.0', tooMany]) {
      expect(parseTileBatch(bad), String(bad).slice(0, 20)).toBeNull();
    }
    expect(parseTileBatch(Array.from({ length: TILE_BATCH_MAX }, () => '1.0.0.0').join(','))).toHaveLength(TILE_BATCH_MAX);
  });
});

describe('streamTileBatch', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('stops reading tiles once the page closes the request', async () => {
    let reads = 0;
    const big = Buffer.alloc(1 << 20, 1);
    const reader: TileReader = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return { bytes: big, contentType: 'application/octet-stream' };
    };
    const items = Array.from({ length: 64 }, (_, i) => ({ imageId: 1, level: 0, col: i, row: 0 }));
    let finished!: () => void;
    const served = new Promise<void>((r) => (finished = r));
    server = createServer((req, res) => void streamTileBatch(req, res, items, reader, {}).then(finished));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { signal: controller.signal });
    const first = await res.body!.getReader().read();
    expect(first.value!.length).toBeGreaterThan(0);
    controller.abort();
    await served;
    expect(reads).toBeLessThan(20);
  });
});
