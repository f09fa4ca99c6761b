// The renderer's view of the Electron bridge: a rejection with {code, message} (what the preload
// sends) becomes an ApiRequestError with that code and message, as serve mode's WebSocketApi gives.
import { describe, expect, it } from 'vitest';
import type { MicraBridge } from '../../../src-main/api/types';
import { ApiRequestError } from '../../../src-renderer/api/apiRequestError';
import { bridgeApi } from '../../../src-renderer/api/bridgeApi';

function rejectingBridge(reason: unknown): MicraBridge {
  const fail = () => Promise.reject(reason);
  return { invoke: fail, on: () => () => undefined, pathsForFiles: fail, choosePath: fail, tileBaseUrl: 'app://micra/' } as unknown as MicraBridge;
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => null,
    (e: unknown) => e,
  );
}

describe('bridgeApi', () => {
  it('turns the preload’s {code, message} into an ApiRequestError on every call', async () => {
    const api = bridgeApi(rejectingBridge({ code: 'no-project', message: 'no project is open' }));
    for (const call of [api.invoke('images.list', {}), api.choosePath('project'), api.pathsForFiles([])]) {
      const e = await failureOf(call);
      expect(e).toBeInstanceOf(ApiRequestError);
      expect(e).toMatchObject({ code: 'no-project', message: 'no project is open' });
    }
    expect(api.tileBaseUrl).toBe('app://micra/');
  });

  it("keeps an Error as it is and makes anything else a 'failed' ApiRequestError", async () => {
    const error = new Error('An object could not be cloned');
    expect(await failureOf(bridgeApi(rejectingBridge(error)).invoke('app.info', {}))).toBe(error);
    expect(await failureOf(bridgeApi(rejectingBridge('boom')).invoke('app.info', {}))).toMatchObject({ code: 'failed', message: 'boom' });
  });

  it('passes results through', async () => {
    const bridge = { ...rejectingBridge(null), invoke: async () => ({ transport: 'electron' }) } as unknown as MicraBridge;
    await expect(bridgeApi(bridge).invoke('app.info', {})).resolves.toEqual({ transport: 'electron' });
  });
});
