// Validates and routes one MicraApi request, whichever transport carried it. Every request
// crosses a process boundary, so nothing reaches a handler before its schema accepts it.
import { z } from 'zod';
import { DomainError } from '../../api/domainError';
import { requestSchemas } from '../../api/schemas';
import type { ApiError, RequestChannel, RequestResult } from '../../api/types';

export type RequestHandlers = {
  [C in RequestChannel]: (params: z.output<(typeof requestSchemas)[C]['params']>) => Promise<RequestResult<C>>;
};

/** What every transport hands back: serve mode as a WebSocket response, Electron as the value of ipcMain.handle. */
export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; error: ApiError };

function isChannel(channel: string): channel is RequestChannel {
  return Object.hasOwn(requestSchemas, channel);
}

export async function dispatchRequest(
  handlers: RequestHandlers,
  channel: string,
  params: unknown,
): Promise<DispatchOutcome> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'bad-request', message: `unknown request channel '${channel.slice(0, 64)}'` } };
  }
  const schema = requestSchemas[channel];
  const parsed = schema.params.safeParse(params ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad-request', message: `${channel}: ${z.prettifyError(parsed.error)}` } };
  }
  try {
    const handler = handlers[channel] as (p: unknown) => Promise<unknown>;
    const result = await handler(parsed.data);
    // Results are checked too: a handler that drifts from the contract fails loudly here,
    // not as an undefined deep inside the renderer.
    return { ok: true, result: schema.result.parse(result) };
  } catch (err) {
    return { ok: false, error: failureOf(err) };
  }
}

/** What a caller is told of a thrown error: a DomainError's code and message, anything else as 'failed'. */
export function failureOf(err: unknown): ApiError {
  if (err instanceof DomainError) return { code: err.code, message: err.message };
  return { code: 'failed', message: err instanceof Error ? err.message : String(err) };
}
