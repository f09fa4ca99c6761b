// The one error type main throws for a failure the user can act on: a request that names
// nothing there is, input that does not fit, a project that is not open. It lives beside the
// contract because its code is the contract's (ApiError['code']) and every part of main (core,
// server, electron, cli) may import it: core/app/requestDispatcher.ts passes code and message to
// the renderer unchanged, whichever transport carried the request; the CLI prints the message.
// Any other error is a fault of ours and reaches callers as 'failed'.
import type { ApiError } from './types';

export type DomainErrorCode = ApiError['code'];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

