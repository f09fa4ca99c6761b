import { describe, expect, it } from 'vitest';
import { dispatchRequest, type RequestHandlers } from '../../../src-main/core/app/requestDispatcher';
import { DomainError } from '../../../src-main/api/domainError';

const image = {
  id: 1, name: 'a.tif', width: 10, height: 10, bitsPerSample: 8, channels: 1, tileSize: 512,
  levelSizes: [[10, 10]], pixelSizeNm: null, status: 'ready', sourcePath: '/x/a.tif', sourceMissing: false,
  notice: null, createdAt: '2026-01-01T00:00:00Z',
} as const;

function handlers(overrides: Partial<RequestHandlers>): RequestHandlers {
  const fail = async () => {
    throw new Error('not under test');
  };
  return {
    'app.info': fail, 'project.open': fail, 'images.list': fail, 'images.get': fail, 'images.importPaths': fail,
    'images.tileStats': fail, 'jobs.list': fail, 'jobs.cancel': fail,
    ...overrides,
  } as RequestHandlers;
}

describe('dispatchRequest', () => {
  it('passes validated params to the handler and returns its result', async () => {
    const seen: unknown[] = [];
    const h = handlers({ 'images.get': async (p) => (seen.push(p), { ...image, id: p.id, levelSizes: [[10, 10]] }) });
    await expect(dispatchRequest(h, 'images.get', { id: 1 })).resolves.toMatchObject({ ok: true, result: { id: 1 } });
    expect(seen).toEqual([{ id: 1 }]);
  });

  it('refuses unknown channels, bad params and extra fields before any handler runs', async () => {
    let ran = false;
    const h = handlers({ 'images.get': async () => ((ran = true), { ...image, levelSizes: [[10, 10]] }) });
    for (const [channel, params] of [
      ['images.delete', { id: 1 }],
      ['images.get', { id: '1' }],
      ['images.get', { id: 1, extra: true }],
      ['images.get', null],
      ['__proto__', {}],
      ['toString', {}],
    ] as const) {
      const outcome = await dispatchRequest(h, channel, params);
      expect(outcome, `${channel}`).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(ran).toBe(false);
  });

  it('reports handler failures with their code, and a result that breaks the contract as a failure', async () => {
    const h = handlers({
      'images.list': async () => {
        throw new DomainError('no-project', 'no project is open');
      },
      'images.get': async () => ({ ...image, width: -1, levelSizes: [[10, 10]] }),
    });
    expect(await dispatchRequest(h, 'images.list', {})).toEqual({ ok: false, error: { code: 'no-project', message: 'no project is open' } });
    expect(await dispatchRequest(h, 'images.get', { id: 1 })).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});
