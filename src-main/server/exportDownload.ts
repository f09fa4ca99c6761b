// Serve mode's export download: GET /export?format=…&objects=accepted|all&image=ID answers the
// file the same core builds for Electron's save dialog (core/export/exportProject.ts), as an
// attachment the browser saves. The query is checked like any message that crosses into main
// (ExportRequestSchema); the token was checked before this runs.
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { z } from 'zod';
import { ExportRequestSchema } from '../api/channels/measurementChannels';
import type { RequestParams } from '../api/types';
import type { AppContext } from '../core/app/appContext';
import { exportFor } from '../core/app/handlers/measurementHandlers';
import { DomainError } from '../api/domainError';

const QuerySchema = z
  .object({
    format: z.string(),
    objects: z.string().optional(),
    image: z.string().regex(/^\d{1,12}$/, 'image must be an image id').transform(Number).optional(),
  })
  .strict();

export type ExportQueryResult = { ok: true; request: RequestParams<'export.save'> } | { ok: false; error: string };

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
}

/** The export a download URL asks for; anything unknown, repeated or malformed is refused. */
export function exportQuery(params: URLSearchParams): ExportQueryResult {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key === 'token') continue;
    if (key in raw) return { ok: false, error: `?${key}= is given twice` };
    raw[key] = value;
  }
  const query = QuerySchema.safeParse(raw);
  if (!query.success) return { ok: false, error: issues(query.error) };
  const { format, objects, image } = query.data;
  const request = ExportRequestSchema.safeParse({ format, ...(objects === undefined ? {} : { objects }), ...(image === undefined ? {} : { imageId: image }) });
  if (!request.success) return { ok: false, error: issues(request.error) };
  return { ok: true, request: request.data };
}

const STATUS: Record<DomainError['code'], number> = { 'bad-request': 400, 'not-found': 404, 'no-project': 409, failed: 500 };

/** Builds the export and streams it with Content-Disposition: attachment. */
export async function sendExport(
  res: ServerResponse,
  app: Pick<AppContext, 'requireProject' | 'requireImage'>,
  request: RequestParams<'export.save'>,
  headers: Record<string, string>,
  head: boolean,
): Promise<void> {
  let exported;
  try {
    exported = exportFor(app, request);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    res.writeHead(STATUS[err.code], { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end(err.message);
    return;
  }
  res.writeHead(200, {
    ...headers,
    'content-type': exported.contentType,
    'content-length': String(exported.bytes),
    // The name is [A-Za-z0-9._-] only (exportProject's file names), so no quoting issues.
    'content-disposition': `attachment; filename="${exported.fileName}"`,
    'cache-control': 'no-store',
  });
  if (head) {
    res.end();
    return;
  }
  for (const chunk of exported.chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}
