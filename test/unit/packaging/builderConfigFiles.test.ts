// Every file electron-builder.yml names exists (icons, hooks, the build resources folder, the
// sources of extra resources), so `npm run dist` does not stop on a missing file, and the icon
// is the 1024×1024 PNG from which electron-builder derives the macOS and Windows icons.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

/** Options whose value is a file of the project (electron-builder's names, at any depth). */
const FILE_OPTIONS = new Set([
  'icon', 'installerIcon', 'uninstallerIcon', 'installerHeader', 'installerHeaderIcon', 'installerSidebar', 'uninstallerSidebar',
  'background', 'license', 'entitlements', 'entitlementsInherit', 'provisioningProfile', 'include', 'script',
  'beforePack', 'afterPack', 'afterSign', 'afterExtract', 'beforeBuild', 'afterAllArtifactBuild', 'onNodeModuleFile',
  'artifactBuildStarted', 'artifactBuildCompleted', 'appxManifestCreated', 'msiProjectCreated', 'sign',
  'buildResources',
]);

/** Every file path the configuration names: [option path, file]. */
function namedFiles(node: unknown, at: string, out: Array<[string, string]>): Array<[string, string]> {
  if (Array.isArray(node)) node.forEach((item, i) => namedFiles(item, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const here = at ? `${at}.${key}` : key;
      const isSource = key === 'from' && /(^|\.)(extraResources|extraFiles)\[\d+\]$/.test(at);
      if ((FILE_OPTIONS.has(key) || isSource) && typeof value === 'string') out.push([here, value]);
      else namedFiles(value, here, out);
    }
  }
  return out;
}

describe('electron-builder.yml', () => {
  const files = namedFiles(config, '', []);

  it('names the icons, the hooks, the build resources and the bundled models', () => {
    expect(files.map(([option]) => option)).toEqual(
      expect.arrayContaining(['directories.buildResources', 'extraResources[0].from', 'beforeBuild', 'afterPack', 'linux.icon', 'win.icon', 'mac.icon']),
    );
  });

  it('names only files that exist', () => {
    const missing = files.filter(([, file]) => !existsSync(path.join(root, file))).map(([option, file]) => `${option}: ${file}`);
    expect(missing).toEqual([]);
    expect(statSync(path.join(root, String((config.directories as Record<string, unknown>).buildResources))).isDirectory()).toBe(true);
  });

  it('has a 1024×1024 PNG icon for every platform', async () => {
    const icons = new Set(files.filter(([option]) => option.endsWith('.icon')).map(([, file]) => file));
    expect([...icons]).toEqual(['resources/icon.png']);
    const meta = await sharp(path.join(root, 'resources', 'icon.png')).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'png', width: 1024, height: 1024 });
  });
});
