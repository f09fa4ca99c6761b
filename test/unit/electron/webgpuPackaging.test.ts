// electron-builder.yml ships webgpu's dawn.node for the target platform alone, unpacked from the
// asar (a native module is loaded from a real file). Checked with electron-builder's own file
// matcher (app-builder-lib), on the files webgpu installs for every platform.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');

interface Matcher {
  createFilter(): (file: string, stat: { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean;
}
const { getFileMatchers } = require('app-builder-lib/out/fileMatcher') as {
  getFileMatchers(
    config: Record<string, unknown>,
    name: 'files' | 'asarUnpack',
    destination: string,
    options: { macroExpander: (p: string) => string; customBuildOptions: Record<string, unknown>; globalOutDir: string; defaultSrc: string },
  ): Matcher[] | null;
};
const yaml = require('js-yaml') as { load(text: string): unknown };

const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const webgpuDist = path.join(root, 'node_modules', 'webgpu', 'dist');
const asFile = { isDirectory: () => false };
const asDir = { isDirectory: () => true };

/** The webgpu files the package for (platform, arch) would hold, and which of them are unpacked. */
function packaged(platform: 'linux' | 'win' | 'mac', arch: string): { shipped: string[]; unpacked: string[] } {
  const options = {
    macroExpander: (p: string) => p.replace(/\$\{arch\}/g, arch),
    customBuildOptions: config[platform] as Record<string, unknown>,
    globalOutDir: path.join(root, 'release'),
    defaultSrc: root,
  };
  const files = getFileMatchers(config, 'files', '/out', options)![0]!.createFilter();
  const unpack = getFileMatchers(config, 'asarUnpack', '/out', options)![0]!.createFilter();
  const shipped: string[] = [];
  for (const folder of readdirSync(webgpuDist)) {
    const dir = path.join(webgpuDist, folder);
    // The copier walks folders first: a folder left out is never entered.
    if (!files(dir, asDir)) continue;
    for (const name of readdirSync(dir)) if (files(path.join(dir, name), asFile)) shipped.push(`${folder}/${name}`);
  }
  const unpacked = shipped.filter((f) => unpack(path.join(webgpuDist, f), asFile));
  return { shipped, unpacked };
}

describe('electron-builder and dawn.node', () => {
  it('ships only the target platform’s dawn.node, unpacked', () => {
    expect(packaged('linux', 'x64')).toEqual({ shipped: ['linux-x64/dawn.node'], unpacked: ['linux-x64/dawn.node'] });
    expect(packaged('linux', 'arm64').shipped).toEqual(['linux-arm64/dawn.node']);
    expect(packaged('mac', 'universal')).toEqual({ shipped: ['darwin-universal/dawn.node'], unpacked: ['darwin-universal/dawn.node'] });
    expect(packaged('mac', 'arm64').shipped).toEqual(['darwin-universal/dawn.node']);
    const win = packaged('win', 'x64');
    // Windows' dawn.node loads the DirectX shader compilers from its own folder.
    expect(win.shipped).toEqual(expect.arrayContaining(['win32-x64/dawn.node', 'win32-x64/dxcompiler.dll', 'win32-x64/d3dcompiler_47.dll']));
    expect(win.shipped.every((f) => f.startsWith('win32-x64/'))).toBe(true);
    expect(win.unpacked).toEqual(win.shipped);
  });

  it('still ships the package’s JavaScript inside the asar', () => {
    const options = { macroExpander: (p: string) => p.replace(/\$\{arch\}/g, 'x64'), customBuildOptions: config['linux'] as Record<string, unknown>, globalOutDir: path.join(root, 'release'), defaultSrc: root };
    const files = getFileMatchers(config, 'files', '/out', options)![0]!.createFilter();
    const unpack = getFileMatchers(config, 'asarUnpack', '/out', options)![0]!.createFilter();
    const index = path.join(root, 'node_modules', 'webgpu', 'index.js');
    expect(files(index, asFile)).toBe(true);
    expect(unpack(index, asFile)).toBe(false);
  });
});
