// Stored paths are untrusted: a relative one may not leave the project folder, lexically or through
// a symbolic link; an absolute one is only ever an original to read; only sources/ copies are
// deletable; project files are read without following a link.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertNoLinkOut, assertProjectWriteTarget, confinedProjectPath, PathOutsideProjectError, readProjectFileNoFollow } from '../../../src-main/core/project/confinedPath';
import { resolveStoredPath, resolveStoredPathOrNull, uploadedCopyPath } from '../../../src-main/core/project/projectLayout';
import { makeTempDir, removeDir } from './tempProject';

let tmp: string;
let project: string;
let outside: string;

beforeEach(() => {
  tmp = makeTempDir('micra-confined-');
  project = path.join(tmp, 'project');
  outside = path.join(tmp, 'victim.txt');
  fs.mkdirSync(path.join(project, 'sources'), { recursive: true });
  fs.mkdirSync(path.join(project, 'tiles', '1', '0'), { recursive: true });
  fs.writeFileSync(outside, 'secret');
});
afterEach(() => removeDir(tmp));

describe('confinedProjectPath', () => {
  it('accepts paths inside the project, existing or not', () => {
    fs.writeFileSync(path.join(project, 'sources', 'a.tif'), 'x');
    expect(confinedProjectPath(project, 'sources/a.tif')).toBe(path.join(project, 'sources', 'a.tif'));
    expect(confinedProjectPath(project, 'sources/not-yet/b.tif')).toBe(path.join(project, 'sources', 'not-yet', 'b.tif'));
    expect(confinedProjectPath(project, 'sources/x/../a.tif')).toBe(path.join(project, 'sources', 'a.tif'));
  });

  it('refuses dot-dot escapes, absolute paths and the folder itself', () => {
    for (const stored of ['sources/../../victim.txt', '../victim.txt', outside, '/etc/passwd', 'C:/Windows/win.ini', '.', 'sources/..', '', 'a\0b']) {
      expect(() => confinedProjectPath(project, stored), stored).toThrow(PathOutsideProjectError);
    }
  });

  it('refuses a link out of the project, at the end or along the way', () => {
    fs.symlinkSync(outside, path.join(project, 'sources', 'link.tif'));
    fs.symlinkSync(tmp, path.join(project, 'sources', 'dirlink'));
    fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(project, 'sources', 'dangling.tif'));
    expect(() => confinedProjectPath(project, 'sources/link.tif')).toThrow(/through a link/);
    expect(() => confinedProjectPath(project, 'sources/dirlink/victim.txt')).toThrow(/through a link/);
    expect(() => confinedProjectPath(project, 'sources/dirlink/new/file')).toThrow(/through a link/);
    expect(() => confinedProjectPath(project, 'sources/dangling.tif')).toThrow(PathOutsideProjectError);
  });

  it('accepts a link that stays inside the project', () => {
    fs.writeFileSync(path.join(project, 'sources', 'real.tif'), 'x');
    fs.symlinkSync(path.join(project, 'sources', 'real.tif'), path.join(project, 'sources', 'alias.tif'));
    expect(confinedProjectPath(project, 'sources/alias.tif')).toBe(path.join(project, 'sources', 'alias.tif'));
  });
});

describe('resolveStoredPath and uploadedCopyPath', () => {
  it('reads an absolute original as given, confines a relative path', () => {
    expect(resolveStoredPath(project, outside)).toBe(outside);
    expect(() => resolveStoredPath(project, 'sources/../../victim.txt')).toThrow(PathOutsideProjectError);
    expect(resolveStoredPathOrNull(project, 'sources/../../victim.txt')).toBeNull();
  });

  it('deletes only what lies in sources/: never an original, never an escape', () => {
    expect(uploadedCopyPath(project, 'sources/up.tif')).toBe(path.join(project, 'sources', 'up.tif'));
    expect(uploadedCopyPath(project, outside)).toBeNull();
    expect(uploadedCopyPath(project, 'sources/../../victim.txt')).toBeNull();
    expect(uploadedCopyPath(project, 'sources/../project.sqlite')).toBeNull();
    fs.symlinkSync(outside, path.join(project, 'sources', 'link.tif'));
    expect(uploadedCopyPath(project, 'sources/link.tif')).toBeNull();
  });
});

describe('readProjectFileNoFollow', () => {
  const tile = () => path.join(project, 'tiles', '1', '0', '0_0.raw');

  it('reads a regular file and answers null for a missing one', () => {
    fs.writeFileSync(tile(), Buffer.from([1, 2, 3]));
    expect([...(readProjectFileNoFollow(project, tile()) ?? [])]).toEqual([1, 2, 3]);
    expect(readProjectFileNoFollow(project, path.join(project, 'tiles', '1', '0', '9_9.raw'))).toBeNull();
  });

  it('refuses a file that is a link, even to a file inside the project', () => {
    fs.symlinkSync(outside, tile());
    expect(() => readProjectFileNoFollow(project, tile())).toThrow(/symbolic link/);
    fs.writeFileSync(path.join(project, 'inside.raw'), 'x');
    fs.symlinkSync(path.join(project, 'inside.raw'), path.join(project, 'tiles', '1', '0', '1_0.raw'));
    expect(() => readProjectFileNoFollow(project, path.join(project, 'tiles', '1', '0', '1_0.raw'))).toThrow(/symbolic link/);
  });

  it('refuses a file in a folder that links out, and paths outside the project', () => {
    const elsewhere = path.join(tmp, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, '0_0.raw'), 'secret');
    fs.symlinkSync(elsewhere, path.join(project, 'tiles', '1', '1'));
    expect(() => readProjectFileNoFollow(project, path.join(project, 'tiles', '1', '1', '0_0.raw'))).toThrow(/links out/);
    expect(() => readProjectFileNoFollow(project, outside)).toThrow(PathOutsideProjectError);
  });

  it('refuses something that is not a regular file without blocking on it', () => {
    fs.mkdirSync(tile());
    expect(() => readProjectFileNoFollow(project, tile())).toThrow(/not a regular file/);
  });
});

describe('assertProjectWriteTarget', () => {
  it('allows a new or regular file in a real folder of the project', () => {
    fs.mkdirSync(path.join(project, 'sweeps'));
    expect(() => assertProjectWriteTarget(project, path.join(project, 'sweeps', '7.jsonl'))).not.toThrow();
    fs.writeFileSync(path.join(project, 'sweeps', '7.jsonl'), '');
    expect(() => assertProjectWriteTarget(project, path.join(project, 'sweeps', '7.jsonl'))).not.toThrow();
  });

  it('refuses a planted link (even to a project file) and a folder that links out', () => {
    fs.mkdirSync(path.join(project, 'sweeps'));
    fs.symlinkSync(outside, path.join(project, 'sweeps', '7.jsonl'));
    fs.symlinkSync(path.join(project, 'project.sqlite'), path.join(project, 'sweeps', '8.jsonl'));
    expect(() => assertProjectWriteTarget(project, path.join(project, 'sweeps', '7.jsonl'))).toThrow(/symbolic link/);
    expect(() => assertProjectWriteTarget(project, path.join(project, 'sweeps', '8.jsonl'))).toThrow(/symbolic link/);
    fs.symlinkSync(tmp, path.join(project, 'cache'));
    expect(() => assertProjectWriteTarget(project, path.join(project, 'cache', 'x.f32'))).toThrow(/links out/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('secret');
  });
});

describe('assertNoLinkOut', () => {
  it('accepts a folder whose entries are its own, refuses one with a link leading out', () => {
    fs.symlinkSync(path.join(project, 'sources'), path.join(project, 'alias'));
    expect(() => assertNoLinkOut(project)).not.toThrow();
    fs.symlinkSync(outside, path.join(project, 'project.sqlite'));
    expect(() => assertNoLinkOut(project)).toThrow(/"project.sqlite", which is a link out of the project folder/);
  });
});
