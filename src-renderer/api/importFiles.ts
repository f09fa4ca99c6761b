// Import of dropped files through whichever transport is active. Electron hands main the
// files' paths; serve mode streams each file's bytes to the server. Both give one
// ImportOutcome per file, so a bad file never stops the others.
import type { ImportOutcome } from '../../src-main/api/types';
import type { Connection } from './transport';
import { uploadUrl } from './urls';

async function uploadOne(conn: Connection, file: File): Promise<ImportOutcome> {
  try {
    const res = await fetch(uploadUrl(conn.endpoint, file.name), { method: 'POST', body: file });
    const text = await res.text();
    try {
      return JSON.parse(text) as ImportOutcome;
    } catch {
      return { ok: false, file: file.name, error: text.trim() || `upload failed (HTTP ${res.status})` };
    }
  } catch (e) {
    return { ok: false, file: file.name, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function importFiles(conn: Connection, files: readonly File[]): Promise<ImportOutcome[]> {
  if (files.length === 0) return [];
  if (conn.bridge) {
    const paths = conn.bridge.pathsForFiles(files);
    return conn.api.invoke('images.importPaths', { paths });
  }
  // One at a time: the server imports sequentially anyway, and this keeps memory flat.
  const outcomes: ImportOutcome[] = [];
  for (const file of files) outcomes.push(await uploadOne(conn, file));
  return outcomes;
}

/** One line per failed file, e.g. "broken.tif: not a TIFF file". */
export function importErrorMessages(outcomes: readonly ImportOutcome[]): string[] {
  return outcomes.flatMap((o) => (o.ok ? [] : [`${o.file}: ${o.error}`]));
}
