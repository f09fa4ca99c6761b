// What main's ipcMain.handle answers on every micra:* channel, and how the preload turns it into
// a settled promise. Main never throws across IPC: Electron would hand the renderer only a
// message string ("Error invoking remote method …"), losing the code. It answers the dispatch
// outcome instead, and the preload rejects with `{ code, message }`, the shape serve mode's
// WebSocket responses carry. A plain object, because contextBridge copies an Error's message
// only. No Node imports: the sandboxed preload bundles this file. The outcome comes from main,
// our own trusted process, and is checked by a guard rather than zod, which would add most of
// a megabyte to the preload every window parses at start.
import type { ApiError } from '../api/types';
import type { DispatchOutcome } from '../core/app/requestDispatcher';

const CODES: ReadonlySet<string> = new Set<ApiError['code']>(['bad-request', 'not-found', 'no-project', 'failed']);

function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && CODES.has(code) && typeof message === 'string';
}

function isOutcome(value: unknown): value is DispatchOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = value as Record<string, unknown>;
  if (outcome['ok'] === true) return 'result' in outcome;
  return outcome['ok'] === false && isApiError(outcome['error']);
}

/** A refusal before any handler runs (an untrusted sender, a path main did not hand out). */
export function refused(message: string): DispatchOutcome {
  return { ok: false, error: { code: 'bad-request', message } };
}

/** The preload's side: the result, or a rejection with the ApiError main sent (a fresh plain object). */
export function settle(outcome: unknown): Promise<unknown> {
  if (!isOutcome(outcome)) return Promise.reject<never>({ code: 'failed', message: 'main answered with a malformed outcome' } satisfies ApiError);
  if (outcome.ok) return Promise.resolve(outcome.result);
  return Promise.reject<never>({ code: outcome.error.code, message: outcome.error.message } satisfies ApiError);
}
