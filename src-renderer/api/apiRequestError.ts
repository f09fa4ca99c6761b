// A failed MicraApi request as the renderer sees it, whichever transport carried it: an Error
// (so every `e instanceof Error ? e.message : …` shows the message) with the contract's code.
// Serve mode builds it from the WebSocket response; in Electron the preload rejects with a plain
// `{ code, message }` (contextBridge would strip an Error's code), which bridgeApi turns into one.
export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** A rejection as an Error: `{ code, message }` becomes an ApiRequestError, an Error stays itself. */
export function asRequestError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  if (typeof reason === 'object' && reason !== null && 'code' in reason && 'message' in reason) {
    const { code, message } = reason;
    if (typeof code === 'string' && typeof message === 'string') return new ApiRequestError(code, message);
  }
  return new ApiRequestError('failed', String(reason));
}
