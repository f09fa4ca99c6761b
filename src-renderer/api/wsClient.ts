// Serve-mode MicraApi: requests and events over one WebSocket. If the socket drops (the
// server restarted, the laptop slept) it reconnects with exponential backoff; requests made
// while disconnected wait for the connection, requests in flight when it dropped fail, since
// the server may or may not have done them.
import type { EventName, EventPayload, MicraApi, RequestChannel, RequestParams, RequestResult } from '../../src-main/api/types';
import type { WireMessage } from '../../src-main/api/wire';
import { ApiRequestError } from './apiRequestError';

/** Callbacks a socket reports to; the factory wires them to a real WebSocket. */
export interface SocketHandlers {
  open(): void;
  close(): void;
  message(data: unknown): void;
}

export interface SocketLike {
  isOpen(): boolean;
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

/** The browser's WebSocket as a SocketFactory. */
export const browserSocketFactory: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.onopen = () => h.open();
  ws.onclose = () => h.close();
  ws.onmessage = (e: MessageEvent) => h.message(e.data);
  return { isOpen: () => ws.readyState === WebSocket.OPEN, send: (d) => ws.send(d), close: () => ws.close() };
};

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class WebSocketApi implements MicraApi {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly outbox: string[] = [];
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private backoffMs: number;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly createSocket: SocketFactory,
    private readonly backoff = { initialMs: 250, maxMs: 5000 },
  ) {
    this.backoffMs = backoff.initialMs;
    this.connect();
  }

  invoke<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<RequestResult<C>> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    const id = this.nextId++;
    const text = JSON.stringify({ id, channel, params });
    return new Promise<RequestResult<C>>((resolve, reject) => {
      this.pending.set(id, { resolve: (r) => resolve(r as RequestResult<C>), reject });
      if (this.socket?.isOpen()) this.socket.send(text);
      else this.outbox.push(text);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  onConnectionState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.failPending(new Error('connection closed'));
  }

  private setState(s: ConnectionState): void {
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    this.setState('connecting');
    let socket: SocketLike | null = null;
    socket = this.createSocket(this.url, {
      open: () => {
        this.backoffMs = this.backoff.initialMs;
        this.setState('open');
        for (const text of this.outbox.splice(0)) socket?.send(text);
      },
      message: (data) => this.receive(data),
      close: () => {
        if (this.socket !== socket) return;
        this.socket = null;
        this.failPending(new ApiRequestError('failed', 'connection to Micra Studio lost'));
        this.setState('closed');
        if (this.closed) return;
        this.reconnectTimer = setTimeout(() => this.connect(), this.backoffMs);
        this.backoffMs = Math.min(this.backoff.maxMs, this.backoffMs * 2);
      },
    });
    this.socket = socket;
  }

  private failPending(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: WireMessage;
    try {
      msg = JSON.parse(data) as WireMessage;
    } catch {
      return;
    }
    if (msg.kind === 'event') {
      for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new ApiRequestError(msg.error.code, msg.error.message));
  }
}
