import { describe, expect, it } from 'vitest';
import { createTileHandler, type TileLookup } from '../../../src-main/core/app/tileHandler';

const calls: string[] = [];
const lookup: TileLookup = {
  readTile: async (imageId, level, col, row) => {
    calls.push(`${imageId}/${level}/${col}/${row}`);
    return imageId === 3 && level === 0 && col === 1 && row === 2 ? Buffer.from([9, 8, 7]) : null;
  },
  readThumbnail: async (imageId) => (imageId === 3 ? Buffer.from([137, 80, 78, 71]) : null),
};
const handler = createTileHandler(() => lookup);

describe('tile handler', () => {
  it('serves a tile of the project by its numbers', async () => {
    const response = await handler(new Request('http://127.0.0.1/tiles/3/0/1/2'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([9, 8, 7]);
    expect((await handler(new Request('micra://app/thumbnails/3'))).headers.get('content-type')).toBe('image/png');
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
      'micra://app/etc/passwd',
      'http://127.0.0.1/thumbnails/3/../../x',
    ];
    for (const url of refused) expect((await handler(new Request(url))).status, url).toBe(404);
    expect(calls).toEqual([]);
    expect((await handler(new Request('http://127.0.0.1/tiles/4/0/0/0'))).status).toBe(404);
    expect((await handler(new Request('http://127.0.0.1/tiles/3/0/1/2', { method: 'POST' }))).status).toBe(405);
  });

  it('answers 404 when no project is open', async () => {
    const closed = createTileHandler(() => null);
    expect((await closed(new Request('http://127.0.0.1/tiles/3/0/1/2'))).status).toBe(404);
  });
});
