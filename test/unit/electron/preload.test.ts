// The preload against a fake 'electron': every call goes to main over ipcRenderer.invoke, and main's
// outcome settles it — the result, or a rejection with main's {code, message} (a plain object, so
// contextBridge keeps the code), or 'failed' when the answer is not an outcome at all.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MicraBridge } from '../../../src-main/api/types';

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  calls: [] as unknown[][],
  answer: null as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => fake.exposed.set(name, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => (fake.calls.push(args), fake.answer),
    on: () => undefined,
    removeListener: () => undefined,
  },
  webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
}));

let bridge: MicraBridge;
beforeAll(async () => {
  await import('../../../src-main/electron/preload');
  bridge = fake.exposed.get('micra') as MicraBridge;
});

describe('preload bridge', () => {
  it('resolves with the result of an ok outcome', async () => {
    fake.answer = { ok: true, result: { transport: 'electron' } };
    await expect(bridge.invoke('app.info', {})).resolves.toEqual({ transport: 'electron' });
    expect(fake.calls.at(-1)).toEqual(['micra:invoke', 'app.info', {}]);
  });

  it('rejects with the {code, message} main sent, on every channel', async () => {
    fake.answer = { ok: false, error: { code: 'not-found', message: 'no image 7 in this project' } };
    await expect(bridge.invoke('images.get', { id: 7 })).rejects.toEqual({ code: 'not-found', message: 'no image 7 in this project' });
    fake.answer = { ok: false, error: { code: 'bad-request', message: 'unknown path purpose' } };
    await expect(bridge.choosePath('project')).rejects.toEqual({ code: 'bad-request', message: 'unknown path purpose' });
    fake.answer = { ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
    await expect(bridge.pathsForFiles([{ name: 'a.tif' } as File])).rejects.toEqual({ code: 'bad-request', message: 'untrusted sender' });
    expect(fake.calls.at(-1)).toEqual(['micra:grant-dropped', ['/dropped/a.tif']]);
  });

  it("rejects as 'failed' when main's answer is not an outcome", async () => {
    for (const answer of ['bad-request: a bare string', null, { ok: false, error: { code: 'teapot', message: 'x' } }, { ok: false }]) {
      fake.answer = answer;
      await expect(bridge.invoke('app.info', {})).rejects.toEqual({ code: 'failed', message: 'main answered with a malformed outcome' });
    }
  });
});
