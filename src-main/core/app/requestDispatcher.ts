// Validates and routes one MicraApi request, whichever transport carried it. Every request
// crosses a process boundary, so nothing reaches a handler before its schema accepts it.
import { z } from 'zod';
import { requestSchemas } from '../../api/schemas';
import type { ApiError, RequestChannel, RequestResult } from '../../api/types';

export type RequestHandlers = {
  [C in RequestChannel]: (params: z.output<(typeof requestSchemas)[C]['params']>) => Promise<RequestResult<C>>;
};

/** An error whose message is meant for the user, with the code the renderer can act on. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

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
    if (err instanceof ApiFailure) return { ok: false, error: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'failed', message } };
  }
}
