// Where a serve-mode page gets its token. `micra serve` prints http://127.0.0.1:PORT/?token=T;
// the page opened at that address takes T once, keeps it in this tab's sessionStorage (this
// origin's only, gone with the tab) so a reload still works, and takes it out of the address
// bar and the history entry with history.replaceState. No cookie ever holds it.
export const TOKEN_STORAGE_KEY = 'micra.serveToken';

export type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface AdoptedToken {
  readonly token: string | null;
  /** The page's address without the token, when it carried one (for history.replaceState). */
  readonly cleanHref: string | null;
}

/** The token of `?token=` (or `#token=`) in the address, else the one this tab kept. */
export function adoptServeToken(href: string, storage: TokenStorage | null): AdoptedToken {
  const url = new URL(href);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const given = url.searchParams.get('token') ?? hash.get('token');
  if (given) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, given);
    } catch {
      // Storage refused (quota, privacy mode): this page still works, a reload will not.
    }
    url.searchParams.delete('token');
    if (hash.has('token')) {
      hash.delete('token');
      const rest = hash.toString();
      url.hash = rest ? `#${rest}` : '';
    }
    return { token: given, cleanHref: url.href };
  }
  let kept: string | null = null;
  try {
    kept = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    kept = null;
  }
  return { token: kept, cleanHref: null };
}

/** Reads the token for this page and hides it from the address bar (a browser only). */
export function takeServeToken(): string | null {
  let storage: TokenStorage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  const adopted = adoptServeToken(window.location.href, storage);
  if (adopted.cleanHref !== null) window.history.replaceState(window.history.state, '', adopted.cleanHref);
  return adopted.token;
}
