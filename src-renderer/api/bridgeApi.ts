// The Electron preload's bridge as the rest of the renderer uses it: the same calls, with each
// rejection turned into an ApiRequestError, as serve mode's WebSocketApi gives.
import type { MicraBridge } from '../../src-main/api/types';
import { asRequestError } from './apiRequestError';

function rethrow(reason: unknown): never {
  throw asRequestError(reason);
}

export function bridgeApi(bridge: MicraBridge): MicraBridge {
  return {
    invoke: (channel, params) => bridge.invoke(channel, params).catch(rethrow),
    on: (event, listener) => bridge.on(event, listener),
    pathsForFiles: (files) => bridge.pathsForFiles(files).catch(rethrow),
    choosePath: (purpose) => bridge.choosePath(purpose).catch(rethrow),
    tileBaseUrl: bridge.tileBaseUrl,
  };
}
