// Electron main: windows, the micra:// tile protocol and the IPC bridge. Everything else is
// the same core that serve mode and the CLI use; this file only wires it to Electron.
import { app, BrowserWindow, ipcMain, protocol, shell } from 'electron';
import { join } from 'node:path';
import { MicraApp } from '../core/app/micraApp';
import { exportSaveHandler } from '../core/app/handlers/measurementHandlers';
import { dispatchRequest, type RequestHandlers } from '../core/app/requestDispatcher';
import { utilityComputeChannel } from './computeChannel';
import { IPC_EVENT, IPC_INVOKE, TILE_SCHEME } from './ipcChannels';
import { saveDialogChooser } from './saveDialog';
import { isTrustedSender, type TrustedRenderer } from './senderCheck';
import { secureWindowOptions } from './windowOptions';

// dist/electron/main.cjs → dist/renderer, dist/compute, dist/electron/preload.cjs
const distDir = join(__dirname, '..');
const indexHtmlPath = join(distDir, 'renderer', 'index.html');

protocol.registerSchemesAsPrivileged([
  { scheme: TILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

export function startElectronApp(): void {
  const micra = new MicraApp({
    transport: 'electron',
    computeChannel: () => utilityComputeChannel(join(distDir, 'compute', 'main.js')),
  });
  const trusted: TrustedRenderer = { webContentsId: null, indexHtmlPath };
  let mainWindow: BrowserWindow | null = null;
  // The same handlers, with the save dialog only Electron has behind `export.save`.
  const handlers: RequestHandlers = { ...micra.handlers, 'export.save': exportSaveHandler(micra, saveDialogChooser(() => mainWindow)) };

  app.on('web-contents-created', (_event, contents) => {
    // No navigation away from the app and no new windows: links open in the system browser.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(() => {
    protocol.handle(TILE_SCHEME, (request) => micra.tileHandler(request));

    ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, params: unknown) => {
      if (!isTrustedSender({ webContentsId: event.sender.id, frame: event.senderFrame }, trusted)) {
        throw new Error('bad-request: untrusted sender');
      }
      const outcome = await dispatchRequest(handlers, typeof channel === 'string' ? channel : '', params);
      if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
      return outcome.result;
    });

    const window = new BrowserWindow(secureWindowOptions(join(distDir, 'electron', 'preload.cjs')));
    trusted.webContentsId = window.webContents.id;
    mainWindow = window;
    micra.events.subscribe((name, payload) => {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, name, payload);
    });
    window.once('ready-to-show', () => window.show());
    void window.loadFile(indexHtmlPath);
  });

  app.on('window-all-closed', () => {
    void micra.close().finally(() => app.quit());
  });
}

startElectronApp();
