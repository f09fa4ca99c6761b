// Electron main: windows, the app:// protocol, the session's permission policy and the IPC
// bridge. Everything else is the same core that serve mode and the CLI use; this file only
// wires it to Electron.
import { app, BrowserWindow, ipcMain, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { PathPurposeSchema } from '../api/pathPurpose';
import { MicraApp } from '../core/app/micraApp';
import { exportSaveHandler } from '../core/app/handlers/measurementHandlers';
import { dispatchRequest, failureOf, type DispatchOutcome, type RequestHandlers } from '../core/app/requestDispatcher';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol';
import { utilityComputeChannel } from './computeChannel';
import { grantDroppedPaths } from './droppedPaths';
import { isAllowedExternalUrl } from './externalLinks';
import { GrantedPaths } from './grantedPaths';
import { refused } from './ipcOutcome';
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

  /**
   * An IPC handler that only our window's main frame may call. It answers the outcome, never
   * throws: the preload (ipcOutcome.ts) rejects with its {code, message}, as serve mode does.
   */
  function handleTrusted(channel: string, handler: (...args: unknown[]) => Promise<DispatchOutcome>): void {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<DispatchOutcome> => {
      if (!isTrustedSender({ webContentsId: event.sender.id, frame: event.senderFrame }, trusted)) return refused('untrusted sender');
      try {
        return await handler(...args);
      } catch (err) {
        return { ok: false, error: failureOf(err) };
      }
    });
  }

  /** The outcome of work that returns its result or throws (a DomainError for the user's mistakes). */
  const answered = async (work: () => Promise<unknown>): Promise<DispatchOutcome> => ({ ok: true, result: await work() });

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
      const ungranted = ungrantedPath(name, params, granted);
      if (ungranted !== null) return refused(`${ungranted} was not chosen in the app's dialog or dropped on its window`);
      return dispatchRequest(handlers, name, params);
    });
    handleTrusted(IPC_CHOOSE_PATH, async (purpose) => {
      const parsed = PathPurposeSchema.safeParse(purpose);
      if (!parsed.success) return refused('unknown path purpose');
      return answered(async () => {
        const path = await choosePathWithDialog(mainWindow, parsed.data, granted);
        if (path !== null && parsed.data === 'project') saveProjectGrants(projectGrantsFile, granted);
        return path;
      });
    });
    handleTrusted(IPC_GRANT_DROPPED, async (paths) => answered(async () => grantDroppedPaths(paths, granted)));

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
