// shell.openExternal is reached only for pages the app itself links to, matched exactly.
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINKS, isAllowedExternalUrl } from '../../../src-main/electron/externalLinks';

describe('isAllowedExternalUrl', () => {
  const allowList = ['https://docs.example.org/micra/help'];

  it('allows exactly the listed https pages', () => {
    expect(isAllowedExternalUrl('https://docs.example.org/micra/help', allowList)).toBe(true);
    expect(isAllowedExternalUrl('https://DOCS.example.org/micra/help', allowList)).toBe(true);
  });

  it('refuses lookalikes, other paths, other schemes, credentials and garbage', () => {
    for (const url of [
      'https://docs.example.org/micra/help/../../evil',
      'https://docs.example.org/micra/help?x=1',
      'https://docs.example.org/micra/help.evil',
      'https://docs.example.org.evil.example/micra/help',
      'https://user@docs.example.org/micra/help',
      'http://docs.example.org/micra/help',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url, allowList), url).toBe(false);
    }
  });

  it('opens nothing by default: the app links to no external page', () => {
    expect(EXTERNAL_LINKS).toEqual([]);
    expect(isAllowedExternalUrl('https://example.com/')).toBe(false);
  });
});
