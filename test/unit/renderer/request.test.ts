// The renderer's one request helper (src-renderer/lib/request.ts): busy exactly while the work
// is on its way, the previous error cleared when it starts, a failure's message kept (described
// as the caller asks) instead of thrown, and whether it succeeded.
import { describe, expect, it } from 'vitest';
import { errorMessage, idle, request } from '../../../src-renderer/lib/request';

describe('request', () => {
  it('is busy while the work runs and not after it succeeds', async () => {
    const state = idle();
    state.error = 'an earlier failure';
    let release: () => void = () => undefined;
    const seen: Array<{ busy: boolean; error: string | null }> = [];
    const done = request(state, async () => {
      seen.push({ ...state });
      await new Promise<void>((r) => (release = r));
    });
    expect(state).toEqual({ busy: true, error: null });
    release();
    expect(await done).toBe(true);
    expect(seen).toEqual([{ busy: true, error: null }]);
    expect(state).toEqual({ busy: false, error: null });
  });

  it("keeps a failure's message, described as asked, and never throws", async () => {
    const state = idle();
    expect(await request(state, () => Promise.reject(new Error('no open project')))).toBe(false);
    expect(state).toEqual({ busy: false, error: 'no open project' });
    expect(await request(state, () => Promise.reject(new Error('disk full')), (m) => `Snapshot failed: ${m}`)).toBe(false);
    expect(state.error).toBe('Snapshot failed: disk full');
    // Work that throws before its first await, and a thrown non-Error.
    expect(await request(state, () => { throw 'bad input'; })).toBe(false);
    expect(state).toEqual({ busy: false, error: 'bad input' });
  });

  it('says what a failure is', () => {
    expect(errorMessage(new TypeError('x is undefined'))).toBe('x is undefined');
    expect(errorMessage(42)).toBe('42');
  });
});
