// The preload: exposes the MicraApi as `window.micra` through contextBridge (context
// isolation and sandbox on). It forwards only its own IPC channels; the renderer gets no
// ipcRenderer and no Node. Paths reach main only as main's own dialogs' answers or as dropped
// files, whose paths are read here from the File objects (the page cannot forge one). Main answers
// every call with an outcome; `settle` resolves its result or rejects with its {code, message}.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventName, MicraBridge, PathPurpose, RequestChannel } from '../api/types';
import { APP_BASE_URL, IPC_CHOOSE_PATH, IPC_EVENT, IPC_GRANT_DROPPED, IPC_INVOKE } from './ipcChannels';
import { settle } from './ipcOutcome';

type EventListener = (payload: never) => void;

const bridge: MicraBridge = {
  invoke: (channel: RequestChannel, params: unknown) => ipcRenderer.invoke(IPC_INVOKE, channel, params).then(settle),
  on: (event: EventName, listener: EventListener) => {
    const forward = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
  pathsForFiles: (files: readonly File[]) => ipcRenderer.invoke(IPC_GRANT_DROPPED, files.map((file) => webUtils.getPathForFile(file))).then(settle),
  choosePath: (purpose: PathPurpose) => ipcRenderer.invoke(IPC_CHOOSE_PATH, purpose).then(settle),
  tileBaseUrl: APP_BASE_URL,
} as MicraBridge;

contextBridge.exposeInMainWorld('micra', bridge);
