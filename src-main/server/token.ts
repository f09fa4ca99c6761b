// The per-launch secret of serve mode. Anything on this machine can reach 127.0.0.1, so every
// request for project data and every socket must prove it got the URL the app printed.
//
// The token is never an ambient credential: no cookie carries it (cookies ignore ports, so any
// other server on 127.0.0.1 that the browser visits would be sent it, and so would every request
// a page served there makes to us). The page sends it explicitly: in a header on fetches and
// uploads, and as `?token=` only where a header cannot go (an <img src>, the WebSocket) — which
// is why the query is accepted on GET and HEAD only, never on a request that changes anything.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header the page may use instead of `Authorization: Bearer …`. */
export const TOKEN_HEADER = 'x-micra-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Whether a request may carry its token in the query (it changes nothing: GET and HEAD). */
export function queryTokenAllowed(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * The token a request carries: `Authorization: Bearer T`, `X-Micra-Token: T`, or, on GET and
 * HEAD only, `?token=T`. Cookies are never read.
 */
export function requestToken(req: Pick<IncomingMessage, 'headers' | 'method'>, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const bearer = /^Bearer +(\S+) *$/i.exec(auth);
    return bearer ? bearer[1]! : null;
  }
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  if (!queryTokenAllowed(req.method)) return null;
  const fromQuery = url.searchParams.getAll('token');
  return fromQuery.length === 1 ? fromQuery[0]! : null;
}

export function isAuthorised(req: Pick<IncomingMessage, 'headers' | 'method'>, url: URL, token: string): boolean {
  const given = requestToken(req, url);
  return given !== null && safeEqual(given, token);
}
