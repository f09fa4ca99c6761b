// The packaging hook flips Electron's fuses: checked on its configuration (data), on
// electron-builder.yml naming it, and by running it on a stand-in binary that carries a fuse
// wire as Electron's does (the real binary cannot be downloaded here).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as ElectronFuses from '@electron/fuses';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
const yaml = require('js-yaml') as { load(text: string): unknown };
const fuses = require('@electron/fuses') as typeof ElectronFuses;
const { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } = fuses;

interface FuseHook {
  (context: unknown): Promise<void>;
  FUSES: Record<string, boolean>;
  fuseConfig(platform: string, arch: number): Record<string, unknown>;
}

const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const scratch = mkdtempSync(path.join(tmpdir(), 'micra-fuses-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function loadHook(): FuseHook {
  expect(config.afterPack, 'electron-builder.yml names an afterPack hook').toBeTypeOf('string');
  return require(path.join(root, String(config.afterPack))) as FuseHook;
}

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 49;
const OFF = 48;

describe('Electron fuses', () => {
  it('electron-builder.yml runs the fuse hook after packing', () => {
    expect(config.afterPack).toBe('scripts/electronFuses.cjs');
  });

  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar-only, asar integrity and cookie encryption', () => {
    expect(loadHook().FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      OnlyLoadAppFromAsar: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      EnableCookieEncryption: true,
    });
    const built = loadHook().fuseConfig('linux', 1);
    expect(built).toMatchObject({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
    });
    // Apple Silicon needs its ad-hoc signature redone after the binary changes.
    expect(loadHook().fuseConfig('darwin', 3)).toMatchObject({ resetAdHocDarwinSignature: true });
  });

  it('flips those fuses in the packed binary through the packager', async () => {
    // Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
    // asar integrity off, asar-only off, then two fuses the hook leaves alone.
    const binary = path.join(scratch, 'micra-studio');
    const wire = Buffer.from([ON, OFF, ON, ON, OFF, OFF, OFF, ON]);
    writeFileSync(binary, Buffer.concat([Buffer.from('\x7fELF...code...'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.from('...more code')]));
    const packager = { addElectronFuses: (_context: unknown, fuseConfig: Parameters<typeof flipFuses>[1]) => flipFuses(binary, fuseConfig) };
    await loadHook()({ packager, electronPlatformName: 'linux', arch: 1, appOutDir: scratch });
    const after = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    expect(after[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(after[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(after[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(after[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(after[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(after[FuseV1Options.EnableCookieEncryption]).toBe(ON);
    expect(after[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(OFF);
    expect(after[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(ON);
  });
});
