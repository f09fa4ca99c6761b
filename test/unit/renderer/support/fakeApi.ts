// A MicraApi for unit tests of the renderer's session classes: each channel answers with the
// function the test gives it (synchronously, or with a promise the test resolves when it wants
// the answer to arrive), every call is recorded, and the test emits events as the server would.
import type { EventName, EventPayload, MicraApi, RequestChannel, RequestParams, RequestResult } from '../../../../src-main/api/types';

type Handler = (params: unknown) => unknown;

export interface Call {
  readonly channel: RequestChannel;
  readonly params: unknown;
}

export class FakeApi implements MicraApi {
  readonly calls: Call[] = [];
  private readonly handlers = new Map<RequestChannel, Handler>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  handle<C extends RequestChannel>(channel: C, handler: (params: RequestParams<C>) => RequestResult<C> | Promise<RequestResult<C>>): this {
    this.handlers.set(channel, handler as Handler);
    return this;
  }

  invoke<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<RequestResult<C>> {
    this.calls.push({ channel, params });
    const h = this.handlers.get(channel);
    if (!h) return Promise.reject(new Error(`FakeApi: no handler for ${channel}`));
    // Always asynchronous, as over IPC or a socket.
    return Promise.resolve().then(() => h(params) as RequestResult<C>);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** The params of every call on `channel`, in order. */
  paramsOf<C extends RequestChannel>(channel: C): RequestParams<C>[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.params as RequestParams<C>);
  }
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run (the fake's answers are a few microtasks deep). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}
