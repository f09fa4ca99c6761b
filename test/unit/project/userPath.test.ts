import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandHome, resolveUserPath } from '../../../src-main/core/project/userPath';

const home = path.resolve('/home/someone');

describe('a typed path', () => {
  it('expands ~ alone and ~/ to the home folder', () => {
    expect(expandHome('~', home)).toBe(home);
    expect(expandHome('~/', home)).toBe(home);
    expect(expandHome('~/data/project', home)).toBe(path.join(home, 'data', 'project'));
  });

  it('leaves ~user, a tilde inside a name and other paths as typed', () => {
    expect(expandHome('~other/x', home)).toBe('~other/x');
    expect(expandHome('a/~/b', home)).toBe('a/~/b');
    expect(expandHome('/abs/~', home)).toBe('/abs/~');
    expect(expandHome('relative', home)).toBe('relative');
  });

  it('resolves to an absolute path: home-relative or working-directory-relative', () => {
    expect(resolveUserPath('~/p', home)).toBe(path.join(home, 'p'));
    expect(resolveUserPath('p', home)).toBe(path.resolve('p'));
  });
});
