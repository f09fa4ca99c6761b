// Electron main: windows, the app:// protocol, the session's permission policy and the IPC
// bridge. Everything else is the same core that serve mode and the CLI use; this file only
// wires it to Electron.
import { app, BrowserWindow, ipcMain, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { PathPurposeSchema } from '../api/pathPurpose';
import { MicraApp } from '../core/app/micraApp';
import { exportSaveHandler } from '../core/app/handlers/measurementHandlers';
import { dispatchRequest, type RequestHandlers } from '../core/app/requestDispatcher';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol';
import { utilityComputeChannel } from './computeChannel';
import { grantDroppedPaths } from './droppedPaths';
import { isAllowedExternalUrl } from './externalLinks';
import { GrantedPaths } from './grantedPaths';
import { APP_INDEX_URL, APP_SCHEME, IPC_CHOOSE_PATH, IPC_EVENT, IPC_GRANT_DROPPED, IPC_INVOKE } from './ipcChannels';
import { choosePathWithDialog } from './pathDialog';
import { ungrantedPath } from './pathGate';
import { isPermissionGranted } from './permissions';
import { loadProjectGrants, saveProjectGrants } from './projectGrants';
import { saveDialogChooser } from './saveDialog';
import { isTrustedSender, type TrustedRenderer } from './senderCheck';
import { secureWindowOptions } from './windowOptions';

// dist/electron/main.cjs → dist/renderer, dist/compute, dist/electron/preload.cjs
const distDir = join(__dirname, '..');
const rendererDir = join(distDir, 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

export function startElectronApp(): void {
  const micra = new MicraApp({
    transport: 'electron',
    computeChannel: () => utilityComputeChannel(join(distDir, 'compute', 'main.js')),
  });
  const trusted: TrustedRenderer = { webContentsId: null, indexUrl: APP_INDEX_URL };
  const granted = new GrantedPaths();
  let mainWindow: BrowserWindow | null = null;
  // The same handlers, with the save dialog only Electron has behind `export.save`.
  const handlers: RequestHandlers = { ...micra.handlers, 'export.save': exportSaveHandler(micra, saveDialogChooser(() => mainWindow)) };

  app.on('web-contents-created', (_event, contents) => {
    // No navigation away from the app, no new windows, no <webview>: the few external pages the
    // app links to open in the system browser.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  /** An IPC handler that only our window's main frame may call. */
  function handleTrusted(channel: string, handler: (...args: unknown[]) => Promise<unknown>): void {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isTrustedSender({ webContentsId: event.sender.id, frame: event.senderFrame }, trusted)) {
        throw new Error('bad-request: untrusted sender');
      }
      return handler(...args);
    });
  }

  void app.whenReady().then(() => {
    const projectGrantsFile = join(app.getPath('userData'), 'granted-projects.json');
    loadProjectGrants(projectGrantsFile, granted);

    const appSession = session.defaultSession;
    appSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl)));
    appSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
    appSession.setDevicePermissionHandler(() => false);

    protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, (request) => micra.tileHandler(request)));

    handleTrusted(IPC_INVOKE, async (channel, params) => {
      const name = typeof channel === 'string' ? channel : '';
      const refused = ungrantedPath(name, params, granted);
      if (refused !== null) throw new Error(`bad-request: ${refused} was not chosen in the app's dialog or dropped on its window`);
      const outcome = await dispatchRequest(handlers, name, params);
      if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
      return outcome.result;
    });
    handleTrusted(IPC_CHOOSE_PATH, async (purpose) => {
      const parsed = PathPurposeSchema.safeParse(purpose);
      if (!parsed.success) throw new Error('bad-request: unknown path purpose');
      const path = await choosePathWithDialog(mainWindow, parsed.data, granted);
      if (path !== null && parsed.data === 'project') saveProjectGrants(projectGrantsFile, granted);
      return path;
    });
    handleTrusted(IPC_GRANT_DROPPED, async (paths) => grantDroppedPaths(paths, granted));

    const window = new BrowserWindow(secureWindowOptions(join(distDir, 'electron', 'preload.cjs')));
    trusted.webContentsId = window.webContents.id;
    mainWindow = window;
    micra.events.subscribe((name, payload) => {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, name, payload);
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(APP_INDEX_URL);
  });

  app.on('window-all-closed', () => {
    void micra.close().finally(() => app.quit());
  });
}

startElectronApp();
