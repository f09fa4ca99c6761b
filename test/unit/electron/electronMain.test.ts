// Electron cannot run here, so src-main/electron is tested against a fake 'electron' module
// that records what main registers: handlers, the micra:// scheme, the window's options.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const recorded = vi.hoisted(() => ({
  ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  privilegedSchemes: [] as unknown[],
  windows: [] as Array<{ options: Record<string, unknown>; loaded: string | null; sent: unknown[][] }>,
  appHandlers: new Map<string, (...args: unknown[]) => unknown>(),
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
    async loadFile(path: string) {
      this.record.loaded = path;
    }
  }
  return {
    app: {
      whenReady: () => Promise.resolve(),
      on: (name: string, handler: Handler) => recorded.appHandlers.set(name, handler),
      quit: () => undefined,
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handle: (channel: string, handler: Handler) => recorded.ipcHandlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (r: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
    },
    shell: { openExternal: async () => undefined },
    utilityProcess: { fork: () => ({ postMessage() {}, on() {}, kill() {} }) },
  };
});

let indexUrl: string;

beforeAll(async () => {
  await import('../../../src-main/electron/main');
  // Let app.whenReady().then(...) run.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const loaded = recorded.windows[0]?.loaded;
  if (!loaded) throw new Error('no window loaded the renderer');
  indexUrl = pathToFileURL(loaded).href;
});

const invoke = (event: unknown, channel: unknown, params: unknown) => recorded.ipcHandlers.get('micra:invoke')!(event, channel, params) as Promise<unknown>;

describe('Electron main', () => {
  it('creates its window with context isolation, sandbox and no Node integration', () => {
    expect(recorded.windows).toHaveLength(1);
    const prefs = recorded.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(recorded.windows[0]!.loaded).toMatch(new RegExp(`renderer\\${join('/', 'index.html')}$`));
  });

  it('maps the micra:// scheme to the tile handler, as a privileged fetch-capable scheme', async () => {
    expect(recorded.privilegedSchemes).toEqual([
      expect.objectContaining({ scheme: 'micra', privileges: expect.objectContaining({ supportFetchAPI: true, secure: true }) }),
    ]);
    const handler = recorded.protocolHandlers.get('micra');
    expect(handler).toBeTypeOf('function');
    // No project is open: every tile is unknown, and other paths are refused the same way.
    for (const url of ['micra://app/tiles/1/0/0/0', 'micra://app/../../etc/passwd', 'micra://app/project.sqlite']) {
      expect((await handler!(new Request(url))).status).toBe(404);
    }
  });

  it('answers a request from its own window and refuses every other sender', async () => {
    const trusted = { sender: { id: 41 }, senderFrame: { url: indexUrl, parent: null } };
    await expect(invoke(trusted, 'app.info', {})).resolves.toMatchObject({ transport: 'electron', project: null });

    const strangers = [
      { sender: { id: 99 }, senderFrame: { url: indexUrl, parent: null } },
      { sender: { id: 41 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 41 }, senderFrame: { url: indexUrl, parent: {} } },
      { sender: { id: 41 }, senderFrame: null },
    ];
    for (const event of strangers) await expect(invoke(event, 'app.info', {})).rejects.toThrow(/untrusted sender/);
  });

  it('validates the request like every transport does', async () => {
    const trusted = { sender: { id: 41 }, senderFrame: { url: indexUrl, parent: null } };
    await expect(invoke(trusted, 'no.such.channel', {})).rejects.toThrow(/bad-request/);
    await expect(invoke(trusted, 'images.get', { id: -3 })).rejects.toThrow(/bad-request/);
    await expect(invoke(trusted, 'images.list', {})).rejects.toThrow(/no-project/);
  });
});
