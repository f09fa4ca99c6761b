import { describe, expect, it } from 'vitest';
import { createTileHandler, createTileReader, parseTilePath, type TileLookup } from '../../../src-main/core/app/tileHandler';

const calls: string[] = [];
const lookup: TileLookup = {
  readTile: async (imageId, level, col, row) => {
    calls.push(`${imageId}/${level}/${col}/${row}`);
    return imageId === 3 && level === 0 && col === 1 && row === 2 ? Buffer.from([9, 8, 7]) : null;
  },
  readThumbnail: async (imageId) => (imageId === 3 ? Buffer.from([137, 80, 78, 71]) : null),
};
const handler = createTileHandler(createTileReader(() => lookup));

describe('tile handler', () => {
  it('serves a tile of the project by its numbers', async () => {
    const response = await handler(new Request('http://127.0.0.1/tiles/3/0/1/2'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([9, 8, 7]);
    expect((await handler(new Request('app://micra/thumbnails/3'))).headers.get('content-type')).toBe('image/png');
  });

  it('answers 404 for anything that does not name a tile of the project, without looking it up', async () => {
    calls.length = 0;
    const refused = [
      'http://127.0.0.1/tiles/3/0/1',
      'http://127.0.0.1/tiles/3/0/1/2/3',
      'http://127.0.0.1/tiles/-3/0/1/2',
      'http://127.0.0.1/tiles/3/0/1/2.raw',
      'http://127.0.0.1/tiles/%2e%2e/0/1/2',
      'http://127.0.0.1/tiles/3/0/1/..%2f..%2fproject.sqlite',
      'http://127.0.0.1/project.sqlite',
      'app://micra/etc/passwd',
      'http://127.0.0.1/thumbnails/3/../../x',
    ];
    for (const url of refused) expect((await handler(new Request(url))).status, url).toBe(404);
    expect(calls).toEqual([]);
    expect((await handler(new Request('http://127.0.0.1/tiles/4/0/0/0'))).status).toBe(404);
    expect((await handler(new Request('http://127.0.0.1/tiles/3/0/1/2', { method: 'POST' }))).status).toBe(405);
  });

  it('answers 404 when no project is open', async () => {
    const closed = createTileHandler(createTileReader(() => null));
    expect((await closed(new Request('http://127.0.0.1/tiles/3/0/1/2'))).status).toBe(404);
  });

  it('parses the two address forms and nothing else', () => {
    expect(parseTilePath('/tiles/3/0/1/2')).toEqual({ kind: 'tile', imageId: 3, level: 0, col: 1, row: 2 });
    expect(parseTilePath('/thumbnails/3')).toEqual({ kind: 'thumbnail', imageId: 3 });
    for (const p of ['/tiles/3/0/1', '/tiles/3/0/1/2/', '/tiles/3/100/1/2', '/tiles/1234567890/0/0/0', '/thumbnails/3/x', '/tiles/3/0/1/2?x']) {
      expect(parseTilePath(p), p).toBeNull();
    }
  });

  it('answers a tile it cannot read like a missing one', async () => {
    const failing = createTileReader(() => ({
      readTile: async () => {
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      },
      readThumbnail: async () => null,
    }));
    expect(await failing({ kind: 'tile', imageId: 1, level: 0, col: 0, row: 0 })).toBeNull();
    expect((await createTileHandler(failing)(new Request('http://127.0.0.1/tiles/1/0/0/0'))).status).toBe(404);
  });
});
