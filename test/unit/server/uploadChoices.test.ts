import { describe, expect, it } from 'vitest';
import { uploadChoices } from '../../../src-main/server/uploadChoices';

const q = (s: string) => uploadChoices(new URLSearchParams(s));

describe('upload choices (serve mode query)', () => {
  it('defaults to the first page without skipping, as the API does', () => {
    expect(q('name=a.tif&token=t')).toEqual({ ok: true, choices: { pages: 'first', page: undefined, skipDuplicates: false } });
  });
  it('reads every page, one page, and the duplicate flag', () => {
    expect(q('name=a.tif&pages=each&skipDuplicates=1')).toEqual({ ok: true, choices: { pages: 'each', page: undefined, skipDuplicates: true } });
    expect(q('name=a.tif&page=3&skipDuplicates=false')).toEqual({ ok: true, choices: { pages: 'first', page: 3, skipDuplicates: false } });
  });
  it('refuses unknown, malformed and repeated parameters', () => {
    for (const bad of ['pages=all', 'page=-1', 'page=1.5', 'skipDuplicates=yes', 'colour=red', 'page=1&page=2']) {
      const r = q(`name=a.tif&${bad}`);
      expect(r.ok, bad).toBe(false);
    }
    const r = q('name=a.tif&pages=all');
    expect(r.ok ? '' : r.error).toMatch(/pages/);
  });
});
