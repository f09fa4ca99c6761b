// Serve mode's folder browser: the sub-folders of a folder under the user's home. The page is
// a browser tab that may be reached by anyone the token was given to, so it sees no more of the
// disk than the home folder: the path is resolved (`~` expanded, links followed) before the
// check, so neither `..` nor a link leads out. Hidden folders are left out.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../../api/domainError';
import type { z } from 'zod';
import type { FolderListingSchema } from '../../api/channels/folderChannels';
import { expandHome } from '../project/userPath';

export type FolderListing = z.infer<typeof FolderListingSchema>;

/** A listing stops here (a folder of thousands of sub-folders is not browsed by eye). */
export const MAX_FOLDERS = 2000;

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realFolder(p: string): string {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    throw new DomainError('not-found', `no folder ${p}`);
  }
  if (!fs.statSync(real).isDirectory()) throw new DomainError('bad-request', `${p} is not a folder`);
  return real;
}

export function listFolders(dir: string | undefined, homeDir: string = os.homedir()): FolderListing {
  const home = fs.realpathSync(homeDir);
  const asked = dir === undefined ? home : path.resolve(home, expandHome(dir, home));
  // Refused before it is touched when it is plainly outside, and again once links are resolved.
  if (!isInside(asked, home) && !isInside(asked, homeDir)) throw new DomainError('bad-request', `only folders inside your home folder (${home}) can be browsed`);
  const real = realFolder(asked);
  if (!isInside(real, home)) throw new DomainError('bad-request', `only folders inside your home folder (${home}) can be browsed`);
  const folders: FolderListing['folders'] = [];
  let truncated = false;
  const entries = fs.readdirSync(real, { withFileTypes: true }).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    let target: string;
    try {
      target = fs.realpathSync(path.join(real, e.name));
      if (!fs.statSync(target).isDirectory() || !isInside(target, home)) continue;
    } catch {
      continue; // a dangling link, or one we may not read
    }
    if (folders.length === MAX_FOLDERS) {
      truncated = true;
      break;
    }
    folders.push({ name: e.name, path: target, isProject: fs.existsSync(path.join(target, 'project.sqlite')) });
  }
  return { dir: real, parent: real === home ? null : path.dirname(real), home, folders, truncated };
}
