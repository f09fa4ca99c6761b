// Files dropped on the window: the preload reads each File's path (webUtils.getPathForFile,
// which the page's own script cannot reach or fool: a File it builds has no path) and hands the
// list to main, which grants each existing regular file for import.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../api/domainError';
import type { GrantedPaths } from './grantedPaths';

const DroppedPathsSchema = z.array(z.string().max(4096)).max(1000);

/** The paths granted, in order; '' for each entry that is not an existing file. Refuses a malformed message. */
export function grantDroppedPaths(message: unknown, granted: GrantedPaths): string[] {
  const parsed = DroppedPathsSchema.safeParse(message);
  if (!parsed.success) throw new DomainError('bad-request', 'dropped paths must be a list of strings');
  return parsed.data.map((path) => {
    if (!path || path.includes('\0') || !isAbsolute(path)) return '';
    try {
      if (!statSync(path).isFile()) return '';
    } catch {
      return '';
    }
    granted.grant('image', path);
    return path;
  });
}
