// Picks the transport: the Electron preload's bridge when present, otherwise the serve-mode
// WebSocket with the token from the page URL.
import type { MicraApi, MicraBridge } from '../../src-main/api/types';
import type { Endpoint } from './urls';
import { serveEndpoint, tokenFromSearch, webSocketUrl } from './urls';
import type { ConnectionState } from './wsClient';
import { browserSocketFactory, WebSocketApi } from './wsClient';

declare global {
  interface Window {
    micra?: MicraBridge;
  }
}

export interface Connection {
  readonly api: MicraApi;
  readonly endpoint: Endpoint;
  /** Electron: the bridge (for dropped-file paths); serve mode: null. */
  readonly bridge: MicraBridge | null;
  onConnectionState(listener: (s: ConnectionState) => void): () => void;
}

export function connect(): Connection {
  const bridge = window.micra;
  if (bridge) {
    return {
      api: bridge,
      endpoint: { base: bridge.tileBaseUrl, token: null },
      bridge,
      onConnectionState: (l) => {
        l('open');
        return () => undefined;
      },
    };
  }
  const token = tokenFromSearch(window.location.search);
  if (!token) throw new Error('This page needs the address printed by `micra serve` (it carries ?token=…).');
  const ws = new WebSocketApi(webSocketUrl(window.location, token), browserSocketFactory);
  return {
    api: ws,
    endpoint: serveEndpoint(window.location.origin, token),
    bridge: null,
    onConnectionState: (l) => ws.onConnectionState(l),
  };
}
