// In Electron a path-taking request passes only with paths main handed out (a native dialog or
// a dropped file), each for its own purpose; the gate knows every channel that takes a path.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestSchemas } from '../../../src-main/api/schemas';
import { GrantedPaths, MAX_REMEMBERED_PROJECTS } from '../../../src-main/electron/grantedPaths';
import { PATH_PARAMS, ungrantedPath } from '../../../src-main/electron/pathGate';
import { loadProjectGrants, saveProjectGrants } from '../../../src-main/electron/projectGrants';

const scratch = mkdtempSync(join(tmpdir(), 'micra-grants-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('GrantedPaths', () => {
  it('knows a path only for the purpose it was granted for', () => {
    const granted = new GrantedPaths();
    granted.grant('project', '/data/projects/a');
    expect(granted.isGranted('project', '/data/projects/a')).toBe(true);
    expect(granted.isGranted('project', '/data/projects/a/')).toBe(true);
    expect(granted.isGranted('project', '/data/projects/b')).toBe(false);
    expect(granted.isGranted('model-export', '/data/projects/a')).toBe(false);
    expect(granted.isGranted('project', '/data/projects/a/../../../etc')).toBe(false);
    expect(granted.isGranted('project', '')).toBe(false);
    expect(granted.isGranted('project', '/data/projects/a\0')).toBe(false);
  });

  it('remembers a bounded list of project folders, newest last', () => {
    const granted = new GrantedPaths();
    for (let i = 0; i < MAX_REMEMBERED_PROJECTS + 5; i++) granted.grant('project', `/p/${i}`);
    granted.grant('project', '/p/10');
    const list = granted.list('project');
    expect(list).toHaveLength(MAX_REMEMBERED_PROJECTS);
    expect(list.at(-1)).toBe('/p/10');
    expect(granted.isGranted('project', '/p/0')).toBe(false);
  });
});

describe('ungrantedPath', () => {
  const granted = new GrantedPaths();
  granted.grant('project', '/chosen/project');
  granted.grant('image', '/dropped/a.tif');
  granted.grant('model-import', '/chosen/model');
  granted.grant('model-export', '/chosen/out');

  it('passes requests whose every path was handed out for its purpose', () => {
    expect(ungrantedPath('project.open', { dir: '/chosen/project', create: false }, granted)).toBeNull();
    expect(ungrantedPath('images.importPaths', { paths: ['/dropped/a.tif'], pages: 'each' }, granted)).toBeNull();
    expect(ungrantedPath('images.relink', { id: 3, path: '/dropped/a.tif' }, granted)).toBeNull();
    expect(ungrantedPath('models.import', { path: '/chosen/model' }, granted)).toBeNull();
    expect(ungrantedPath('models.export', { id: 1, path: '/chosen/out' }, granted)).toBeNull();
    // Channels without paths are not its business.
    expect(ungrantedPath('images.list', {}, granted)).toBeNull();
  });

  it('names the first path that was not handed out, or handed out for something else', () => {
    expect(ungrantedPath('project.open', { dir: '/home/u/.ssh', create: true }, granted)).toBe('/home/u/.ssh');
    expect(ungrantedPath('images.importPaths', { paths: ['/dropped/a.tif', '/etc/shadow'] }, granted)).toBe('/etc/shadow');
    expect(ungrantedPath('images.relink', { id: 3, path: '/chosen/model' }, granted)).toBe('/chosen/model');
    expect(ungrantedPath('models.import', { path: '/chosen/model/../../etc' }, granted)).toBe('/chosen/model/../../etc');
    expect(ungrantedPath('models.export', { id: 1, path: '/chosen/project' }, granted)).toBe('/chosen/project');
  });

  it('leaves params that do not parse to the dispatcher, and ignores inherited names', () => {
    expect(ungrantedPath('project.open', { dir: 5 }, granted)).toBeNull();
    expect(ungrantedPath('toString', {}, granted)).toBeNull();
  });

  it('covers every channel whose params name a path, a directory or a file', () => {
    const pathLike = /path|dir|folder|file/i;
    const takesPaths: string[] = [];
    const walk = (node: unknown, channel: string): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, channel));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && value && typeof value === 'object' && Object.keys(value).some((k) => pathLike.test(k))) takesPaths.push(channel);
        walk(value, channel);
      }
    };
    for (const [channel, schemas] of Object.entries(requestSchemas)) walk(z.toJSONSchema(schemas.params, { unrepresentable: 'any', io: 'input' }), channel);
    // Fields named like a file that are not paths: only a name, the content comes in the request.
    const namesOnly = ['annotationSets.import'];
    expect([...new Set(takesPaths)].filter((c) => !namesOnly.includes(c)).sort()).toEqual(Object.keys(PATH_PARAMS).sort());
  });
});

describe('project grants across launches', () => {
  it('saves the chosen project folders and grants them again at the next launch', () => {
    const file = join(scratch, 'granted-projects.json');
    const before = new GrantedPaths();
    before.grant('project', '/chosen/project');
    before.grant('model-export', '/chosen/out');
    saveProjectGrants(file, before);
    const after = new GrantedPaths();
    loadProjectGrants(file, after);
    expect(after.isGranted('project', '/chosen/project')).toBe(true);
    expect(after.isGranted('model-export', '/chosen/out')).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ projects: ['/chosen/project'] });
  });

  it('grants nothing from a missing, damaged or foreign file', () => {
    const cases = ['not json', JSON.stringify({ projects: ['relative/dir'] }), JSON.stringify({ projects: '/x' }), JSON.stringify({ projects: ['/x'], images: ['/etc/passwd'] })];
    for (const [i, text] of cases.entries()) {
      const file = join(scratch, `bad-${i}.json`);
      writeFileSync(file, text);
      const granted = new GrantedPaths();
      loadProjectGrants(file, granted);
      expect(granted.list('project')).toEqual([]);
      expect(granted.list('image')).toEqual([]);
    }
    const granted = new GrantedPaths();
    loadProjectGrants(join(scratch, 'missing.json'), granted);
    expect(granted.list('project')).toEqual([]);
  });
});
