// The checks every serve-mode request passes first (requestGuard.ts) and where its token may
// come from (token.ts): never a cookie, the query only on GET and HEAD.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, crossOriginRefusal, requestTarget } from '../../../src-main/server/requestGuard';
import { isAuthorised, requestToken } from '../../../src-main/server/token';

const HOST = '127.0.0.1:4000';

describe('crossOriginRefusal', () => {
  it('lets through the app’s own origin, the user’s own navigation, and clients that send neither header', () => {
    expect(crossOriginRefusal({}, HOST)).toBeNull();
    expect(crossOriginRefusal({ origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' }, HOST)).toBeNull();
    expect(crossOriginRefusal({ 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }, HOST)).toBeNull();
  });

  it('refuses any other Origin, another port of the same host and "null" included', () => {
    for (const origin of ['http://127.0.0.1:4001', 'http://localhost:4000', 'https://127.0.0.1:4000', 'null', 'http://evil.example']) {
      expect(crossOriginRefusal({ origin }, HOST), origin).toMatch(/refused/);
    }
  });

  it('refuses Sec-Fetch-Site other than same-origin or none, and tells a navigating user how to open the app', () => {
    for (const site of ['same-site', 'cross-site', 'bogus']) expect(crossOriginRefusal({ 'sec-fetch-site': site }, HOST), site).toMatch(/refused/);
    expect(crossOriginRefusal({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }, HOST)).toMatch(/address bar/);
  });
});

describe('requestTarget', () => {
  it('reads a path against the request’s own host, never another', () => {
    const t = requestTarget('//evil.example/x?y=1', HOST);
    expect(t.ok && [t.url.host, t.url.pathname]).toEqual([HOST, '//evil.example/x']);
  });

  it('refuses what is not a path and escapes that do not decode', () => {
    for (const raw of [undefined, '', '*', 'http://evil.example/', '/%E0%A4%A', '/thumbnails/%ZZ', '/%', '/a%C0%AF']) {
      expect(requestTarget(raw, HOST).ok, String(raw)).toBe(false);
    }
    expect(requestTarget('/%69ndex.html?token=%ZZ', HOST).ok).toBe(true);
  });
});

describe('contentSecurityPolicy', () => {
  it('connects to the app’s own origin and socket only, with no <base>, forms or framing', () => {
    const csp = contentSecurityPolicy(HOST);
    expect(csp).toContain(`connect-src 'self' ws://${HOST};`);
    for (const d of ["base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/\bws:[ ;]|wss:|\*/);
  });
});

describe('requestToken', () => {
  const url = (q = '') => new URL(`http://${HOST}/thumbnails/1${q}`);
  const req = (method: string, headers: Record<string, string> = {}) => ({ method, headers });

  it('takes the token from Authorization: Bearer or X-Micra-Token', () => {
    expect(requestToken(req('POST', { authorization: 'Bearer abc' }), url())).toBe('abc');
    expect(requestToken(req('POST', { authorization: 'bearer abc' }), url())).toBe('abc');
    expect(requestToken(req('POST', { 'x-micra-token': 'abc' }), url())).toBe('abc');
    expect(requestToken(req('GET', { authorization: 'Basic abc' }), url('?token=abc'))).toBeNull();
  });

  it('takes ?token= on GET and HEAD only, once', () => {
    expect(requestToken(req('GET'), url('?token=abc'))).toBe('abc');
    expect(requestToken(req('HEAD'), url('?token=abc'))).toBe('abc');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect(requestToken(req(method), url('?token=abc')), method).toBeNull();
    expect(requestToken(req('GET'), url('?token=abc&token=abc'))).toBeNull();
  });

  it('never reads a cookie', () => {
    expect(requestToken(req('GET', { cookie: 'micra_token=abc; token=abc' }), url())).toBeNull();
    expect(isAuthorised(req('GET', { cookie: 'micra_token=abc' }), url(), 'abc')).toBe(false);
    expect(isAuthorised(req('GET', { authorization: 'Bearer abc' }), url(), 'abc')).toBe(true);
    expect(isAuthorised(req('GET', { authorization: 'Bearer abd' }), url(), 'abc')).toBe(false);
  });
});
