// Picks the transport: the Electron preload's bridge when present, otherwise the serve-mode
// WebSocket with the token the page was opened with (serveToken.ts).
import type { MicraApi, MicraBridge } from '../../src-main/api/types';
import { bridgeApi } from './bridgeApi';
import type { TileSource } from './tileSource';
import { httpTileSource } from './tileSource';
import { TileBatchSource } from './tileBatchSource';
import type { Endpoint } from './urls';
import { takeServeToken } from './serveToken';
import { serveEndpoint, webSocketUrl } from './urls';
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
  /** The viewer's tiles: app:// fetches in Electron, streamed batches (HTTP per tile as fallback) in serve mode. */
  readonly tiles: TileSource;
  /** Electron: the bridge (for dropped-file paths); serve mode: null. */
  readonly bridge: MicraBridge | null;
  onConnectionState(listener: (s: ConnectionState) => void): () => void;
}

export function connect(): Connection {
  const bridge = window.micra ? bridgeApi(window.micra) : null;
  if (bridge) {
    const endpoint: Endpoint = { base: bridge.tileBaseUrl, token: null };
    return {
      api: bridge,
      endpoint,
      tiles: httpTileSource(endpoint),
      bridge,
      onConnectionState: (l) => {
        l('open');
        return () => undefined;
      },
    };
  }
  const token = takeServeToken();
  if (!token) throw new Error('Open this page at the address `micra serve` printed (it carries ?token=…).');
  const ws = new WebSocketApi(webSocketUrl(window.location, token), browserSocketFactory);
  const endpoint = serveEndpoint(window.location.origin, token);
  // `?tiles=http` (a benchmark switch): one request per tile, to compare with batches in one run.
  const httpOnly = new URLSearchParams(window.location.search).get('tiles') === 'http';
  return {
    api: ws,
    endpoint,
    tiles: httpOnly
      ? httpTileSource(endpoint)
      : new TileBatchSource(endpoint, httpTileSource(endpoint)),
    bridge: null,
    onConnectionState: (l) => ws.onConnectionState(l),
  };
}
