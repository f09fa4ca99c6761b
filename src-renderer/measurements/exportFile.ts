// Runs an export from the app: in Electron main shows a save dialog and writes the file
// (`export.save`); in serve mode the browser downloads it from GET /export. Either way the file
// is built by the same core as `micra export`.
import type { RequestParams } from '../../src-main/api/types';
import type { Connection } from '../api/transport';
import { authHeaders, exportUrl } from '../api/urls';

export type ExportRequest = RequestParams<'export.save'>;

/** The file name a Content-Disposition header gives (ours: attachment; filename="…"). */
export function attachmentName(header: string | null, fallback: string): string {
  const m = header ? /filename="([^"]+)"/.exec(header) : null;
  return m?.[1] ?? fallback;
}

/** What happened, for the user. */
export async function runExport(connection: Connection, request: ExportRequest): Promise<string> {
  if (connection.bridge) {
    const saved = await connection.api.invoke('export.save', request);
    return saved.saved ? `Saved ${saved.objects} objects to ${saved.path ?? ''}` : 'Export cancelled';
  }
  const response = await fetch(exportUrl(connection.endpoint, request), { headers: authHeaders(connection.endpoint) });
  if (!response.ok) throw new Error((await response.text()) || `export failed (${response.status})`);
  const name = attachmentName(response.headers.get('content-disposition'), `export-${request.format}`);
  saveBlob(name, await response.blob());
  return `Downloaded ${name}`;
}

/** Hands a file the page holds to the browser's download (Electron: its save dialog). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The download has taken its copy once click() returns a task later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
