// Which URLs the system browser may be asked to open (shell.openExternal). Only pages the app
// itself links to, matched exactly, over https: a URL that arrives from a project, a model card
// or an injected script is never opened. The app links to no external page today, so the list
// is empty: add a page here together with the link that shows it.
export const EXTERNAL_LINKS: readonly string[] = [];

/** Whether `url` is one of `allowList`, exactly (after URL normalisation), and an https page. */
export function isAllowedExternalUrl(url: string, allowList: readonly string[] = EXTERNAL_LINKS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return allowList.some((allowed) => {
    try {
      return new URL(allowed).href === parsed.href;
    } catch {
      return false;
    }
  });
}
