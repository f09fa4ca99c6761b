// The serve-mode client against a real WebSocket server (the `ws` package), including a
// server restart on the same port: the client must reconnect and keep working.
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { SocketFactory } from '../../../src-renderer/api/wsClient';
import { ApiRequestError } from '../../../src-renderer/api/apiRequestError';
import { WebSocketApi } from '../../../src-renderer/api/wsClient';

const nodeSocketFactory: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.on('open', () => h.open());
  ws.on('close', () => h.close());
  ws.on('error', () => undefined);
  ws.on('message', (data) => h.message(data.toString()));
  return { isOpen: () => ws.readyState === WebSocket.OPEN, send: (d) => ws.send(d), close: () => ws.close() };
};

/** A tiny server speaking the wire protocol: app.info answers, images.get fails. */
function startServer(port = 0): Promise<WebSocketServer> {
  return new Promise((resolve) => {
    const wss: WebSocketServer = new WebSocketServer({ port, host: '127.0.0.1' }, () => resolve(wss));
    wss.on('connection', (socket: WebSocket) => {
      socket.on('message', (raw: Buffer) => {
        const req = JSON.parse(raw.toString()) as { id: number; channel: string };
        if (req.channel === 'app.info') {
          socket.send(JSON.stringify({ kind: 'response', id: req.id, ok: true, result: { version: '1', transport: 'serve', project: null } }));
          socket.send(JSON.stringify({ kind: 'event', event: 'images.changed', payload: { imageId: 3 } }));
        } else {
          socket.send(JSON.stringify({ kind: 'response', id: req.id, ok: false, error: { code: 'not-found', message: 'no image 9' } }));
        }
      });
    });
  });
}

const closeServer = (wss: WebSocketServer): Promise<void> =>
  new Promise((resolve) => {
    for (const c of wss.clients) c.terminate();
    wss.close(() => resolve());
  });

let server: WebSocketServer | null = null;
let client: WebSocketApi | null = null;
afterEach(async () => {
  client?.close();
  if (server) await closeServer(server);
  server = null;
});

describe('WebSocketApi', () => {
  it('answers requests, rejects failures with their code, delivers events, and survives a server restart', async () => {
    server = await startServer();
    const port = (server.address() as AddressInfo).port;
    client = new WebSocketApi(`ws://127.0.0.1:${port}/api?token=t`, nodeSocketFactory, { initialMs: 20, maxMs: 100 });
    const events: unknown[] = [];
    client.on('images.changed', (p) => events.push(p));

    const info = await client.invoke('app.info', {});
    expect(info.transport).toBe('serve');
    const failure = await client.invoke('images.get', { id: 9 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiRequestError);
    expect((failure as ApiRequestError).code).toBe('not-found');
    expect(events).toEqual([{ imageId: 3 }]);

    const dropped = new Promise<void>((resolve) => client?.onConnectionState((s) => s === 'closed' && resolve()));
    await closeServer(server);
    await dropped;
    server = await startServer(port);
    // Sent while disconnected or reconnecting: waits for the new connection.
    const again = await client.invoke('app.info', {});
    expect(again.version).toBe('1');
  });
});
