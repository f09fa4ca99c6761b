// `~` in a project path, as the CLI and the UI's open box receive it (a quoted or `--project=~/x`
// word reaches the app with the tilde intact): the project lands in the home folder, and no
// folder named `~` appears in the working directory.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runImportCommand } from '../../../src-main/cli/commands/importCommand';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { ask, capturedConsole, ramp, realApp, tempDir } from './appTestKit';

const home = tempDir('micra-home-');
const tiff = path.join(home.dir, 'small.tif');
writeTestTiff(tiff, [{ width: 64, height: 48, channels: 1, bits: 8, samples: ramp(64, 48), rowsPerStrip: 16 }]);
const { out } = capturedConsole();

beforeEach(() => vi.stubEnv('HOME', home.dir));
afterEach(() => vi.unstubAllEnvs());
afterAll(() => home.cleanup());

describe('~ in a project path', () => {
  it('micra import --project=~/… creates the project in the home folder', async () => {
    expect(await runImportCommand(['--project=~/cli-project', tiff])).toBe(0);
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({ name: 'small.tif' });
    expect(existsSync(path.join(home.dir, 'cli-project', 'project.sqlite'))).toBe(true);
    expect(existsSync(path.join(process.cwd(), '~'))).toBe(false);
  });

  it('project.open (the UI) opens ~/… in the home folder and reports the expanded folder', async () => {
    const app = realApp();
    try {
      const info = await ask(app, 'project.open', { dir: '~/ui-project', create: true });
      expect(info.dir).toBe(path.join(home.dir, 'ui-project'));
      expect(existsSync(path.join(home.dir, 'ui-project', 'project.sqlite'))).toBe(true);
      // The CLI's project, reopened through the UI path without creating.
      expect((await ask(app, 'project.open', { dir: '~/cli-project', create: false })).dir).toBe(path.join(home.dir, 'cli-project'));
    } finally {
      await app.close();
    }
    expect(existsSync(path.join(process.cwd(), '~'))).toBe(false);
  });
});
