// The per-launch secret of serve mode. Anything on this machine can reach 127.0.0.1, so every
// request and socket must prove it got the URL the app printed.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'micra_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/**
 * The token may come as `?token=`, as `Authorization: Bearer`, or as the cookie set when the
 * page was first opened with the token (so the page's own script and style requests pass).
 */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

export function isAuthorised(req: IncomingMessage, url: URL, token: string): boolean {
  const given = requestToken(req, url);
  return given !== null && safeEqual(given, token);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
