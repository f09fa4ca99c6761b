// A path a person typed (a project folder in the UI's open box, a --project flag). A shell
// expands `~` only when the word starts with it and is unquoted; `--project=~/x`, a quoted
// "~/x" and the app's text box all arrive with the tilde intact, and path.resolve alone would
// then make a folder literally named `~` in the working directory.
import os from 'node:os';
import path from 'node:path';

/**
 * `~` alone or followed by a separator becomes the home folder. `~user` is left as it is:
 * another user's home cannot be found portably, and a folder may really be named so.
 */
export function expandHome(typed: string, home: string = os.homedir()): string {
  if (typed === '~') return home;
  if (typed.startsWith('~/') || (path.sep === '\\' && typed.startsWith('~\\'))) return path.join(home, typed.slice(2));
  return typed;
}

/** The absolute path of a typed path: `~` expanded, then resolved against the working directory. */
export function resolveUserPath(typed: string, home?: string): string {
  return path.resolve(expandHome(typed, home));
}
