// Serve mode's folder browser and the recent projects, on real folders in a scratch home.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src-main/api/domainError';
import { listFolders } from '../../../src-main/core/app/folderBrowser';
import { listRecentProjects, MAX_RECENT, rememberRecentProject } from '../../../src-main/core/app/recentProjects';
import { userConfigDir } from '../../../src-main/core/app/userConfig';

let root: string;
let home: string;
let outside: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'micra-folders-')));
  home = join(root, 'home');
  outside = join(root, 'outside');
  mkdirSync(join(home, 'data', 'study A'), { recursive: true });
  mkdirSync(join(home, 'data', 'proj'), { recursive: true });
  writeFileSync(join(home, 'data', 'proj', 'project.sqlite'), '');
  mkdirSync(join(home, '.cache'), { recursive: true });
  writeFileSync(join(home, 'notes.txt'), 'x');
  mkdirSync(join(outside, 'secret'), { recursive: true });
  symlinkSync(outside, join(home, 'escape'));
  symlinkSync(join(home, 'data'), join(home, 'shortcut'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('folder browser', () => {
  it('lists the home folder: sub-folders by name, hidden ones, files and links leading out left out', () => {
    const l = listFolders(undefined, home);
    expect(l.dir).toBe(home);
    expect(l.parent).toBeNull();
    // 'shortcut' is a link to a folder inside the home: listed, by its real path.
    expect(l.folders.map((f) => f.name)).toEqual(['data', 'shortcut']);
    expect(l.folders[1]?.path).toBe(join(home, 'data'));
    expect(l.truncated).toBe(false);
  });

  it('lists a sub-folder, marks project folders, and names its parent', () => {
    const l = listFolders(join(home, 'data'), home);
    expect(l.folders).toEqual([
      { name: 'proj', path: join(home, 'data', 'proj'), isProject: true },
      { name: 'study A', path: join(home, 'data', 'study A'), isProject: false },
    ]);
    expect(l.parent).toBe(home);
    expect(listFolders('~/data', home).dir).toBe(join(home, 'data'));
  });

  it('refuses anything outside the home, through .. or a link', () => {
    expect(refusal(() => listFolders(outside, home)).code).toBe('bad-request');
    expect(refusal(() => listFolders(join(home, '..', 'outside'), home)).code).toBe('bad-request');
    expect(refusal(() => listFolders(join(home, 'escape'), home)).message).toContain('inside your home folder');
    expect(refusal(() => listFolders(join(home, 'escape', 'secret'), home)).code).toBe('bad-request');
    expect(refusal(() => listFolders('/', home)).code).toBe('bad-request');
    expect(refusal(() => listFolders(join(home, 'nope'), home)).code).toBe('not-found');
    expect(refusal(() => listFolders(join(home, 'notes.txt'), home)).code).toBe('bad-request');
  });
});

describe('recent projects', () => {
  it('keeps the newest first, once each, at most MAX_RECENT, and only folders that still hold a project', () => {
    const config = join(root, 'config');
    const proj = join(home, 'data', 'proj');
    rememberRecentProject(config, { dir: proj, name: 'Proj' }, new Date('2026-01-01T00:00:00Z'));
    for (let i = 0; i < MAX_RECENT + 3; i++) {
      const d = join(root, `p${i}`);
      mkdirSync(d);
      writeFileSync(join(d, 'project.sqlite'), '');
      rememberRecentProject(config, { dir: d, name: `P${i}` });
    }
    rememberRecentProject(config, { dir: proj, name: 'Proj' });
    const list = listRecentProjects(config);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]?.dir).toBe(proj);
    expect(list.filter((r) => r.dir === proj)).toHaveLength(1);
    expect(list[1]?.name).toBe(`P${MAX_RECENT + 2}`);
    rmSync(join(root, `p${MAX_RECENT + 2}`), { recursive: true });
    expect(listRecentProjects(config).map((r) => r.name)).not.toContain(`P${MAX_RECENT + 2}`);
  });

  it('reads a damaged file as untrusted: bad entries dropped, a bad file an empty list', () => {
    const config = join(root, 'config');
    mkdirSync(config);
    const proj = join(home, 'data', 'proj');
    writeFileSync(join(config, 'recent-projects.json'), JSON.stringify([{ dir: proj, name: 'ok', openedAt: 'x' }, { dir: 'relative', name: 'r', openedAt: 'x' }, { dir: 3 }, 'junk']));
    expect(listRecentProjects(config).map((r) => r.name)).toEqual(['ok']);
    writeFileSync(join(config, 'recent-projects.json'), '{not json');
    expect(listRecentProjects(config)).toEqual([]);
    rememberRecentProject(config, { dir: proj, name: 'again' });
    expect(JSON.parse(readFileSync(join(config, 'recent-projects.json'), 'utf8'))).toHaveLength(1);
  });

  it('lives in the platform config folder, or MICRA_CONFIG_DIR', () => {
    expect(userConfigDir({}, '/home/u', 'linux')).toBe('/home/u/.config/micra-studio');
    expect(userConfigDir({ XDG_CONFIG_HOME: '/x' }, '/home/u', 'linux')).toBe('/x/micra-studio');
    expect(userConfigDir({}, '/Users/u', 'darwin')).toBe('/Users/u/Library/Application Support/Micra Studio');
    expect(userConfigDir({ MICRA_CONFIG_DIR: '/tmp/c' }, '/home/u', 'linux')).toBe('/tmp/c');
  });
});
