// The start screen's way to a project without typing its path: serve mode's folder browser,
// confined to the user's home, and the projects opened lately (kept in the user's config, not
// in any project). In Electron the native dialog chooses folders; folders.list refuses there.
import { z } from 'zod';
import { NoParams } from './noParams';

export const FolderEntrySchema = z.object({
  name: z.string(),
  /** Absolute, links resolved: what folders.list and project.open take. */
  path: z.string(),
  /** The folder holds a project (project.sqlite). */
  isProject: z.boolean(),
});

export const FolderListingSchema = z.object({
  /** The folder listed (absolute, links resolved). */
  dir: z.string(),
  /** Its parent, or null at the home folder (the browser goes no higher). */
  parent: z.string().nullable(),
  home: z.string(),
  /** Sub-folders, hidden ones left out, by name. */
  folders: z.array(FolderEntrySchema),
  /** More sub-folders than listed. */
  truncated: z.boolean(),
});

export const RecentProjectSchema = z.object({
  dir: z.string(),
  name: z.string(),
  /** ISO 8601. */
  openedAt: z.string(),
});

export const folderRequests = {
  /** Sub-folders of `dir` (default: the home folder); anything outside the home is refused. */
  'folders.list': { params: z.object({ dir: z.string().min(1).max(4096).optional() }).strict(), result: FolderListingSchema },
  /** Projects opened lately, newest first; those whose folder is gone are left out. */
  'projects.recent': { params: NoParams, result: z.array(RecentProjectSchema) },
} as const;
