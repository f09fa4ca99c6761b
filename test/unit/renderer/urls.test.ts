import { describe, expect, it } from 'vitest';
import { authHeaders, serveEndpoint, thumbnailUrl, tileBatchUrl, tileUrl, uploadUrl, webSocketUrl } from '../../../src-renderer/api/urls';

describe('renderer URLs', () => {
  const serve = serveEndpoint('http://127.0.0.1:4321', 'a b+c');
  it('builds serve-mode tile and upload URLs without the token, which travels in the Authorization header', () => {
    expect(tileUrl(serve, 7, 2, 3, 4)).toBe('http://127.0.0.1:4321/tiles/7/2/3/4');
    expect(tileBatchUrl(serve, [{ imageId: 7, level: 2, col: 3, row: 4 }])).toBe('http://127.0.0.1:4321/tile-batch?t=7.2.3.4');
    expect(uploadUrl(serve, 'my scan #1.tif')).toBe('http://127.0.0.1:4321/upload?name=my%20scan%20%231.tif');
    expect(uploadUrl(serve, 's.tif', { pages: 'each', skipDuplicates: true })).toBe('http://127.0.0.1:4321/upload?name=s.tif&pages=each&skipDuplicates=1');
    expect(uploadUrl(serve, 's.tif', { page: 2, skipDuplicates: false })).toBe('http://127.0.0.1:4321/upload?name=s.tif&page=2&skipDuplicates=0');
    expect(authHeaders(serve)).toEqual({ authorization: 'Bearer a b+c' });
  });
  it('puts the token in the query only where no header can go: an <img src> and the socket', () => {
    expect(thumbnailUrl(serve, 7)).toBe('http://127.0.0.1:4321/thumbnails/7?token=a%20b%2Bc');
    expect(thumbnailUrl(serve, 7, 'ready')).toBe('http://127.0.0.1:4321/thumbnails/7?v=ready&token=a%20b%2Bc');
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:9' }, 't')).toBe('ws://127.0.0.1:9/api?token=t');
    expect(webSocketUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/api?token=t');
  });
  it('builds Electron tile URLs under app:// without a token or header', () => {
    const electron = { base: 'app://micra/', token: null };
    expect(tileUrl(electron, 1, 0, 0, 0)).toBe('app://micra/tiles/1/0/0/0');
    expect(thumbnailUrl(electron, 1)).toBe('app://micra/thumbnails/1');
    expect(authHeaders(electron)).toEqual({});
  });
});
