// Project folders the user chose survive a restart (the app reopens the last project), kept in
// a small JSON file in Electron's userData folder that only main writes. What is read back is
// checked: a damaged or foreign file grants nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { MAX_REMEMBERED_PROJECTS, type GrantedPaths } from './grantedPaths';

const ProjectGrantsSchema = z.object({ projects: z.array(z.string().min(1).max(4096)).max(MAX_REMEMBERED_PROJECTS) }).strict();

export function loadProjectGrants(file: string, granted: GrantedPaths): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return;
  }
  const parsed = ProjectGrantsSchema.safeParse(json);
  if (!parsed.success) return;
  for (const dir of parsed.data.projects) if (isAbsolute(dir) && !dir.includes('\0')) granted.grant('project', dir);
}

export function saveProjectGrants(file: string, granted: GrantedPaths): void {
  writeFileSync(file, JSON.stringify({ projects: granted.list('project') }, null, 1));
}
