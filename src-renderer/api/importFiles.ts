// Import of dropped files through whichever transport is active. Electron hands main the
// files' paths; serve mode streams each file's bytes to the server. Both answer one outcome per
// page imported (or skipped, or failed), so a bad file never stops the others.
import type { RequestResult } from '../../src-main/api/types';
import type { Connection } from './transport';
import { authHeaders, uploadUrl, type UploadChoices } from './urls';

export type ImportPathOutcome = RequestResult<'images.importPaths'>[number];
export type ImportChoices = UploadChoices;

function failure(file: File, error: string): ImportPathOutcome[] {
  return [{ ok: false, file: file.name, error }];
}

async function uploadOne(conn: Connection, file: File, choices: ImportChoices): Promise<ImportPathOutcome[]> {
  try {
    const res = await fetch(uploadUrl(conn.endpoint, file.name, choices), { method: 'POST', body: file, headers: authHeaders(conn.endpoint) });
    const text = await res.text();
    if (!res.ok) return failure(file, text.trim() || `upload failed (HTTP ${res.status})`);
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? (parsed as ImportPathOutcome[]) : failure(file, 'the server answered the upload with something other than a list of outcomes');
    } catch {
      return failure(file, text.trim() || `upload failed (HTTP ${res.status})`);
    }
  } catch (e) {
    return failure(file, e instanceof Error ? e.message : String(e));
  }
}

/** Imports one file with the user's choices: one outcome per page. */
export async function importFile(conn: Connection, file: File, choices: ImportChoices = {}): Promise<ImportPathOutcome[]> {
  if (conn.bridge) {
    try {
      // Main grants the dropped file's path; a path it did not grant would be refused.
      const [path] = await conn.bridge.pathsForFiles([file]);
      if (!path) return failure(file, 'the app could not tell where this file is on disk');
      return await conn.api.invoke('images.importPaths', { paths: [path], ...choices });
    } catch (e) {
      return failure(file, e instanceof Error ? e.message : String(e));
    }
  }
  return uploadOne(conn, file, choices);
}

/** One line per failed page, e.g. "broken.tif: not a TIFF file". */
export function importErrorMessages(outcomes: readonly ImportPathOutcome[]): string[] {
  return outcomes.flatMap((o) => (o.ok ? [] : [`${o.file}: ${o.error}`]));
}
