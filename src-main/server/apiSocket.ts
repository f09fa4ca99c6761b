// The MicraApi over WebSocket: requests in, responses and events out (envelopes in api/wire.ts).
import type { WebSocket } from 'ws';
import { ANNOTATION_TEXT_MAX_CHARS } from '../api/channels/annotationSetChannels';
import { WireRequestSchema, type WireMessage } from '../api/wire';
import { dispatchRequest } from '../core/app/requestDispatcher';
import type { ServedApp } from './servedApp';

/**
 * Largest request message: an annotation import carries its file's text, which JSON escaping can
 * at most double for a text file (quotes, line ends), plus the envelope. Everything else is small.
 */
export const MAX_MESSAGE_BYTES = 2 * ANNOTATION_TEXT_MAX_CHARS + (1 << 20);

function send(socket: WebSocket, message: WireMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

export function serveApiSocket(socket: WebSocket, app: ServedApp): void {
  const unsubscribe = app.events.subscribe((event, payload) => send(socket, { kind: 'event', event, payload }));
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);
  socket.on('message', async (data, isBinary) => {
    const text = data.toString();
    if (isBinary || text.length > MAX_MESSAGE_BYTES) {
      socket.close(1009, 'message rejected');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      socket.close(1007, 'not JSON');
      return;
    }
    const request = WireRequestSchema.safeParse(json);
    if (!request.success) {
      socket.close(1008, 'malformed request');
      return;
    }
    const { id, channel, params } = request.data;
    const outcome = await dispatchRequest(app.handlers, channel, params);
    send(socket, outcome.ok ? { kind: 'response', id, ok: true, result: outcome.result } : { kind: 'response', id, ok: false, error: outcome.error });
  });
}
