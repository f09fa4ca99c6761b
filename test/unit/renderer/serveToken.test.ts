// How a serve-mode page takes its token: from the printed address once, into this tab's
// sessionStorage, out of the address bar; from sessionStorage after a reload.
import { describe, expect, it } from 'vitest';
import { adoptServeToken, TOKEN_STORAGE_KEY } from '../../../src-renderer/api/serveToken';

function memoryStorage(): Map<string, string> & { getItem(k: string): string | null; setItem(k: string, v: string): void } {
  const m = new Map<string, string>() as Map<string, string> & { getItem(k: string): string | null; setItem(k: string, v: string): void };
  m.getItem = (k) => m.get(k) ?? null;
  m.setItem = (k, v) => void m.set(k, v);
  return m;
}

describe('adoptServeToken', () => {
  it('takes ?token= from the printed address, keeps it for the tab and gives the address without it', () => {
    const storage = memoryStorage();
    const adopted = adoptServeToken('http://127.0.0.1:4000/?token=abc_123&tiles=http', storage);
    expect(adopted).toEqual({ token: 'abc_123', cleanHref: 'http://127.0.0.1:4000/?tiles=http' });
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc_123');
    expect(adoptServeToken('http://127.0.0.1:4000/?token=t', memoryStorage()).cleanHref).toBe('http://127.0.0.1:4000/');
  });

  it('takes #token= too, leaving the rest of the fragment', () => {
    expect(adoptServeToken('http://127.0.0.1:4000/#token=f', memoryStorage())).toEqual({ token: 'f', cleanHref: 'http://127.0.0.1:4000/' });
    expect(adoptServeToken('http://127.0.0.1:4000/#token=f&x=1', memoryStorage()).cleanHref).toBe('http://127.0.0.1:4000/#x=1');
  });

  it('after a reload (no token in the address) uses the kept one, and nothing without either', () => {
    const storage = memoryStorage();
    adoptServeToken('http://127.0.0.1:4000/?token=kept', storage);
    expect(adoptServeToken('http://127.0.0.1:4000/', storage)).toEqual({ token: 'kept', cleanHref: null });
    expect(adoptServeToken('http://127.0.0.1:4000/', memoryStorage())).toEqual({ token: null, cleanHref: null });
    expect(adoptServeToken('http://127.0.0.1:4000/', null)).toEqual({ token: null, cleanHref: null });
  });

  it('a newer address wins over the kept token (the server was restarted)', () => {
    const storage = memoryStorage();
    adoptServeToken('http://127.0.0.1:4000/?token=old', storage);
    expect(adoptServeToken('http://127.0.0.1:4000/?token=new', storage).token).toBe('new');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('still works when storage throws', () => {
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(adoptServeToken('http://127.0.0.1:4000/?token=t', throwing).token).toBe('t');
    expect(adoptServeToken('http://127.0.0.1:4000/', throwing).token).toBeNull();
  });
});
