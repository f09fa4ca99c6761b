// The preload: exposes the MicraApi as `window.micra` through contextBridge (context
// isolation and sandbox on). It forwards only its own IPC channels; the renderer gets no
// ipcRenderer and no Node. Paths reach main only as main's own dialogs' answers or as dropped
// files, whose paths are read here from the File objects (the page cannot forge one).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventName, MicraBridge, PathPurpose, RequestChannel } from '../api/types';
import { APP_BASE_URL, IPC_CHOOSE_PATH, IPC_EVENT, IPC_GRANT_DROPPED, IPC_INVOKE } from './ipcChannels';

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
  pathsForFiles: (files: readonly File[]) => ipcRenderer.invoke(IPC_GRANT_DROPPED, files.map((file) => webUtils.getPathForFile(file))),
  choosePath: (purpose: PathPurpose) => ipcRenderer.invoke(IPC_CHOOSE_PATH, purpose),
  tileBaseUrl: APP_BASE_URL,
} as MicraBridge;

contextBridge.exposeInMainWorld('micra', bridge);
