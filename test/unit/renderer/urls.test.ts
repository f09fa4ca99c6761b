import { describe, expect, it } from 'vitest';
import { serveEndpoint, thumbnailUrl, tileUrl, tokenFromSearch, uploadUrl, webSocketUrl } from '../../../src-renderer/api/urls';

describe('renderer URLs', () => {
  const serve = serveEndpoint('http://127.0.0.1:4321', 'a b+c');
  it('builds serve-mode tile, thumbnail and upload URLs carrying the token', () => {
    expect(tileUrl(serve, 7, 2, 3, 4)).toBe('http://127.0.0.1:4321/tiles/7/2/3/4?token=a%20b%2Bc');
    expect(thumbnailUrl(serve, 7)).toBe('http://127.0.0.1:4321/thumbnails/7?token=a%20b%2Bc');
    expect(thumbnailUrl(serve, 7, 'ready')).toBe('http://127.0.0.1:4321/thumbnails/7?v=ready&token=a%20b%2Bc');
    expect(uploadUrl(serve, 'my scan #1.tif')).toBe('http://127.0.0.1:4321/upload?name=my%20scan%20%231.tif&token=a%20b%2Bc');
    expect(uploadUrl(serve, 's.tif', { pages: 'each', skipDuplicates: true })).toBe('http://127.0.0.1:4321/upload?name=s.tif&pages=each&skipDuplicates=1&token=a%20b%2Bc');
    expect(uploadUrl(serve, 's.tif', { page: 2, skipDuplicates: false })).toBe('http://127.0.0.1:4321/upload?name=s.tif&page=2&skipDuplicates=0&token=a%20b%2Bc');
  });
  it('builds Electron tile URLs under micra:// without a token', () => {
    expect(tileUrl({ base: 'micra://app/', token: null }, 1, 0, 0, 0)).toBe('micra://app/tiles/1/0/0/0');
  });
  it('reads the token and derives the socket URL', () => {
    expect(tokenFromSearch('?token=abc123&x=1')).toBe('abc123');
    expect(tokenFromSearch('')).toBeNull();
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:9' }, 't')).toBe('ws://127.0.0.1:9/api?token=t');
    expect(webSocketUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/api?token=t');
  });
});
