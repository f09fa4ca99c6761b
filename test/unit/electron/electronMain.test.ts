// Electron cannot run here, so src-main/electron is tested against a fake 'electron' module
// that records what main registers: handlers, the app:// scheme, the session's permission
// handlers, the window's options and what it loads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { settle } from '../../../src-main/electron/ipcOutcome';

type Handler = (...args: unknown[]) => unknown;

const recorded = vi.hoisted(() => ({
  ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  privilegedSchemes: [] as unknown[],
  windows: [] as Array<{ options: Record<string, unknown>; loaded: string | null; sent: unknown[][] }>,
  appHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  permissionRequest: null as null | ((...args: unknown[]) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean),
  devicePermission: null as null | ((...args: unknown[]) => boolean),
  openedExternally: [] as string[],
  dialogAnswer: { canceled: true, filePaths: [] as string[] },
  userData: '',
}));

vi.mock('electron', () => {
  class FakeBrowserWindow {
    readonly webContents: { id: number; send: (...args: unknown[]) => void };
    private readonly record: { options: Record<string, unknown>; loaded: string | null; sent: unknown[][] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: null, sent: [] };
      recorded.windows.push(this.record);
      this.webContents = { id: 41, send: (...args: unknown[]) => this.record.sent.push(args) };
    }
    once() {}
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      this.record.loaded = url;
    }
  }
  return {
    app: {
      whenReady: () => Promise.resolve(),
      on: (name: string, handler: Handler) => recorded.appHandlers.set(name, handler),
      getPath: (name: string) => (name === 'userData' ? recorded.userData : tmpdir()),
      quit: () => undefined,
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showOpenDialog: async () => recorded.dialogAnswer },
    ipcMain: { handle: (channel: string, handler: Handler) => recorded.ipcHandlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (r: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: (...args: unknown[]) => void) => (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: (...args: unknown[]) => boolean) => (recorded.permissionCheck = h),
        setDevicePermissionHandler: (h: (...args: unknown[]) => boolean) => (recorded.devicePermission = h),
      },
    },
    shell: { openExternal: async (url: string) => void recorded.openedExternally.push(url) },
    utilityProcess: { fork: () => ({ postMessage() {}, on() {}, kill() {} }) },
  };
});

const APP_INDEX = 'app://micra/index.html';
const scratch = mkdtempSync(join(tmpdir(), 'micra-electron-main-'));
const droppedTiff = join(scratch, 'dropped.tif');

beforeAll(async () => {
  recorded.userData = scratch;
  writeFileSync(droppedTiff, 'not really a TIFF');
  await import('../../../src-main/electron/main');
  // Let app.whenReady().then(...) run.
  await new Promise((resolve) => setTimeout(resolve, 0));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ipc = (channel: string) => (event: unknown, ...args: unknown[]) => recorded.ipcHandlers.get(channel)!(event, ...args) as Promise<unknown>;
const invoke = (event: unknown, channel: unknown, params: unknown) => ipc('micra:invoke')(event, channel, params);
const trusted = { sender: { id: 41 }, senderFrame: { url: APP_INDEX, parent: null } };
/** What main answers for a failure: the dispatch outcome with the contract's code, never a thrown string. */
const refusal = (code: string, message: RegExp = /./) => ({ ok: false, error: { code, message: expect.stringMatching(message) } });

describe('Electron main', () => {
  it('creates its window with context isolation, sandbox and no Node integration', () => {
    expect(recorded.windows).toHaveLength(1);
    const prefs = recorded.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
  });

  it('loads the app from app://micra, a standard secure scheme, not from file://', () => {
    expect(recorded.windows[0]!.loaded).toBe(APP_INDEX);
    expect(recorded.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    expect([...recorded.protocolHandlers.keys()]).toEqual(['app']);
  });

  it('answers tile addresses on app:// with the tile handler and refuses paths out of the renderer folder', async () => {
    const handler = recorded.protocolHandlers.get('app')!;
    // No project is open: every tile is unknown.
    for (const url of ['app://micra/tiles/1/0/0/0', 'app://micra/thumbnails/1', 'app://micra/../../etc/passwd', 'app://micra/%2e%2e/%2e%2e/etc/passwd', 'app://micra/project.sqlite']) {
      expect((await handler(new Request(url))).status).toBe(404);
    }
  });

  it('denies every permission request and check, and every device', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'display-capture', 'midiSysex', 'fullscreen']) {
      recorded.permissionRequest!({}, permission, (granted: boolean) => answers.push(granted), { requestingUrl: APP_INDEX, isMainFrame: true });
      answers.push(recorded.permissionCheck!({}, permission, 'app://micra', { isMainFrame: true }));
    }
    expect(answers).toHaveLength(16);
    expect(answers.every((a) => a === false)).toBe(true);
    expect(recorded.devicePermission!({ deviceType: 'usb', origin: 'app://micra' })).toBe(false);
  });

  it('opens no window and sends no URL that is not on the allow-list to the system browser', () => {
    const contents = { handlers: new Map<string, Handler>(), openHandler: null as null | ((d: { url: string }) => { action: string }) };
    recorded.appHandlers.get('web-contents-created')!({}, {
      on: (name: string, h: Handler) => contents.handlers.set(name, h),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (contents.openHandler = h),
    });
    for (const url of ['https://evil.example/', 'http://example.com/', 'file:///etc/passwd', 'app://micra/index.html']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(recorded.openedExternally).toEqual([]);
    let prevented = 0;
    contents.handlers.get('will-navigate')!({ preventDefault: () => prevented++ }, 'https://evil.example/');
    contents.handlers.get('will-attach-webview')!({ preventDefault: () => prevented++ });
    expect(prevented).toBe(2);
  });

  it('answers a request from its own window and refuses every other sender', async () => {
    await expect(invoke(trusted, 'app.info', {})).resolves.toMatchObject({ ok: true, result: { transport: 'electron', project: null } });

    const strangers = [
      { sender: { id: 99 }, senderFrame: { url: APP_INDEX, parent: null } },
      { sender: { id: 41 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 41 }, senderFrame: { url: 'file:///app/dist/renderer/index.html', parent: null } },
      { sender: { id: 41 }, senderFrame: { url: 'app://evil/index.html', parent: null } },
      { sender: { id: 41 }, senderFrame: { url: APP_INDEX, parent: {} } },
      { sender: { id: 41 }, senderFrame: null },
    ];
    for (const event of strangers) {
      await expect(invoke(event, 'app.info', {})).resolves.toEqual(refusal('bad-request', /untrusted sender/));
      await expect(ipc('micra:choose-path')(event, 'project')).resolves.toEqual(refusal('bad-request', /untrusted sender/));
      await expect(ipc('micra:grant-dropped')(event, [droppedTiff])).resolves.toEqual(refusal('bad-request', /untrusted sender/));
    }
  });

  it('answers failures as {code, message} outcomes that the preload settles into rejections with them', async () => {
    const outcome = await invoke(trusted, 'images.list', {});
    expect(outcome).toEqual({ ok: false, error: { code: 'no-project', message: 'no project is open' } });
    await expect(settle(outcome)).rejects.toEqual({ code: 'no-project', message: 'no project is open' });
    await expect(settle(await invoke(trusted, 'app.info', {}))).resolves.toMatchObject({ transport: 'electron' });
    // A refusal before dispatch has the same shape.
    const stranger = { sender: { id: 99 }, senderFrame: { url: APP_INDEX, parent: null } };
    await expect(settle(await invoke(stranger, 'app.info', {}))).rejects.toEqual({ code: 'bad-request', message: 'untrusted sender' });
  });

  it('validates the request like every transport does', async () => {
    await expect(invoke(trusted, 'no.such.channel', {})).resolves.toEqual(refusal('bad-request'));
    await expect(invoke(trusted, 'images.get', { id: -3 })).resolves.toEqual(refusal('bad-request'));
    await expect(invoke(trusted, 'images.list', {})).resolves.toEqual(refusal('no-project'));
  });

  it('refuses a path it did not hand out, and takes one chosen in its dialog or dropped on the window', async () => {
    const elsewhere = join(scratch, 'not-chosen');
    await expect(invoke(trusted, 'project.open', { dir: elsewhere, create: true })).resolves.toEqual(refusal('bad-request', /was not chosen/));
    await expect(invoke(trusted, 'models.export', { id: 1, path: '/tmp/x' })).resolves.toEqual(refusal('bad-request', /was not chosen/));
    await expect(invoke(trusted, 'models.import', { path: '/etc' })).resolves.toEqual(refusal('bad-request', /was not chosen/));
    await expect(invoke(trusted, 'images.importPaths', { paths: ['/etc/passwd'] })).resolves.toEqual(refusal('bad-request', /was not chosen/));
    await expect(invoke(trusted, 'images.relink', { id: 1, path: droppedTiff })).resolves.toEqual(refusal('bad-request', /was not chosen/));

    // A dropped file is granted for import (the request then fails only for want of a project).
    await expect(ipc('micra:grant-dropped')(trusted, [droppedTiff, '/no/such/file.tif', 'relative.tif'])).resolves.toEqual({ ok: true, result: [droppedTiff, '', ''] });
    await expect(invoke(trusted, 'images.importPaths', { paths: [droppedTiff] })).resolves.toEqual(refusal('no-project'));
    await expect(invoke(trusted, 'images.importPaths', { paths: [droppedTiff, '/etc/passwd'] })).resolves.toEqual(refusal('bad-request', /\/etc\/passwd was not chosen/));
    await expect(ipc('micra:grant-dropped')(trusted, 'not a list')).resolves.toEqual(refusal('bad-request'));

    // A folder chosen in the dialog is granted for that purpose only.
    recorded.dialogAnswer = { canceled: false, filePaths: [join(scratch, 'export-here')] };
    await expect(ipc('micra:choose-path')(trusted, 'model-export')).resolves.toEqual({ ok: true, result: join(scratch, 'export-here') });
    await expect(invoke(trusted, 'models.export', { id: 1, path: join(scratch, 'export-here') })).resolves.toEqual(refusal('no-project'));
    await expect(invoke(trusted, 'project.open', { dir: join(scratch, 'export-here'), create: true })).resolves.toEqual(refusal('bad-request', /was not chosen/));
    await expect(ipc('micra:choose-path')(trusted, 'anything')).resolves.toEqual(refusal('bad-request'));
    recorded.dialogAnswer = { canceled: true, filePaths: [] };
    await expect(ipc('micra:choose-path')(trusted, 'image')).resolves.toEqual({ ok: true, result: null });
  });
});
