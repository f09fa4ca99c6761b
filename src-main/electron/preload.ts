// The preload: exposes the MicraApi as `window.micra` through contextBridge (context
// isolation and sandbox on). It forwards only the two IPC channels; the renderer gets no
// ipcRenderer and no Node.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventName, MicraBridge, RequestChannel } from '../api/types';
import { IPC_EVENT, IPC_INVOKE, TILE_BASE_URL } from './ipcChannels';

type EventListener = (payload: never) => void;

const bridge: MicraBridge = {
  invoke: (channel: RequestChannel, params: unknown) => ipcRenderer.invoke(IPC_INVOKE, channel, params),
  on: (event: EventName, listener: EventListener) => {
    const forward = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
  pathsForFiles: (files) => files.map((file) => webUtils.getPathForFile(file)),
  tileBaseUrl: TILE_BASE_URL,
} as MicraBridge;

contextBridge.exposeInMainWorld('micra', bridge);
