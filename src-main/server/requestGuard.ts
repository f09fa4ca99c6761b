// What every serve-mode request passes before any route looks at it.
//
// - The Host must be the app's own (127.0.0.1:PORT or localhost:PORT): DNS rebinding.
// - A request made by another origin's page is refused, whatever it asks: `Origin`, when sent,
//   must be the app's own origin, and `Sec-Fetch-Site`, when sent, must be `same-origin` or
//   `none` (the user opened the address). Another port of 127.0.0.1 is a different origin but
//   the *same site* to a browser, so `same-site` is refused too.
// - The path must be a path (`/…`) whose percent-escapes decode: anything else is a 400.
//
// And the Content-Security-Policy the app's pages are served with (the renderer's own
// index.html carries a looser one in a meta tag, shared with Electron; a browser enforces both).
import type { IncomingHttpHeaders } from 'node:http';

export const SERVE_HOST = '127.0.0.1';

/** The Host headers the server answers: its own address by IP and by name. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`${SERVE_HOST}:${port}`, `localhost:${port}`]);
}

/** Why a request from another origin is refused, or null when it comes from the app (or the user). */
export function crossOriginRefusal(headers: IncomingHttpHeaders, host: string): string | null {
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  const foreignOrigin = origin !== undefined && origin !== `http://${host}`;
  const foreignSite = site !== undefined && site !== 'same-origin' && site !== 'none';
  if (!foreignOrigin && !foreignSite) return null;
  if (headers['sec-fetch-mode'] === 'navigate') {
    return 'Micra Studio opens only from the address `micra serve` printed: paste it into the address bar, other pages cannot open it.';
  }
  return foreignOrigin ? `requests from ${origin} are refused` : `${site} requests are refused`;
}

export type ParsedTarget = { ok: true; url: URL } | { ok: false; error: string };

/**
 * The URL a request names. Only origin-form targets (`/path?query`) are accepted, read against
 * the request's own host (so `//other.host/x` is a path, never another host), and the path's
 * percent-escapes must decode (`/%E0%A4%A` and `/thumbnails/%ZZ` are refused).
 */
export function requestTarget(rawUrl: string | undefined, host: string): ParsedTarget {
  if (!rawUrl?.startsWith('/')) return { ok: false, error: 'malformed request target' };
  let url: URL;
  try {
    url = new URL(`http://${host}${rawUrl}`);
  } catch {
    return { ok: false, error: 'malformed request target' };
  }
  if (url.host !== host) return { ok: false, error: 'malformed request target' };
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, error: 'malformed percent-escape in the path' };
  }
  return { ok: true, url };
}

/**
 * The policy of every response: only this origin for scripts, styles, images (plus the blob: and
 * data: images the viewer makes) and connections, naming the exact ws:// origin of the API
 * socket since not every browser counts ws: under 'self'; no <base>, no form submissions, no
 * framing, no plugins.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    `connect-src 'self' ws://${host}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every answer of an accepted Host. */
export function securityHeaders(host: string): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': contentSecurityPolicy(host),
    // No other origin may embed what we answer (an <img> of a thumbnail, a <script>), nor keep a
    // handle on the app's window.
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  };
}
