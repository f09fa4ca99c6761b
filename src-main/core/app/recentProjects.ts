// The projects opened lately, in `recent-projects.json` of the user's config folder. The file is
// read as untrusted input (a bad entry is dropped, a bad file is an empty list: it is a
// convenience, never a reason to fail), written whole to a temporary file and renamed.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { RecentProjectSchema } from '../../api/channels/folderChannels';

export type RecentProject = z.infer<typeof RecentProjectSchema>;

/** How many are kept. */
export const MAX_RECENT = 12;
const FILE = 'recent-projects.json';

function readAll(configDir: string): RecentProject[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(configDir, FILE), 'utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e) => {
    const p = RecentProjectSchema.safeParse(e);
    return p.success && path.isAbsolute(p.data.dir) ? [p.data] : [];
  });
}

/** Newest first; folders that no longer hold a project are left out. */
export function listRecentProjects(configDir: string): RecentProject[] {
  return readAll(configDir).filter((r) => fs.existsSync(path.join(r.dir, 'project.sqlite')));
}

/** Puts the project first (once), keeping at most MAX_RECENT. */
export function rememberRecentProject(configDir: string, project: { dir: string; name: string }, now: Date = new Date()): void {
  const entry: RecentProject = { dir: project.dir, name: project.name, openedAt: now.toISOString() };
  const list = [entry, ...readAll(configDir).filter((r) => r.dir !== project.dir)].slice(0, MAX_RECENT);
  fs.mkdirSync(configDir, { recursive: true });
  const file = path.join(configDir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(list, null, 2));
  fs.renameSync(tmp, file);
}
