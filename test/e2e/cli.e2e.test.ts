// The built commands as a user runs them: `npm start` without the Electron binary, and
// `micra import` with good and bad files.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeTestTiff } from '../generators/tiff/tiffWriter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/servedApp';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micra-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('falls back to serve mode when the Electron binary is missing, and says why', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'start.js')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here'), MICRA_NO_ELECTRON_DOWNLOAD: '1' },
    });
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    for await (const line of lines) {
      seen.push(line);
      if (seen.length === 2) break;
    }
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    expect(seen[0]).toMatch(/^Micra Studio is serving at http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/);
    expect(seen[1]).toMatch(/Electron was not used/);
  });
});

describe('micra import', () => {
  it('prints one JSON line per image and one reason per bad file, with a non-zero exit', async () => {
    const good = join(dir, 'good.tif');
    const wide = join(dir, 'wide 16-bit.tif');
    const bad = join(dir, 'bad.tif');
    const pixels = Buffer.alloc(1200 * 700);
    for (let i = 0; i < pixels.length; i++) pixels[i] = i % 251;
    writeTestTiff(good, [{ width: 1200, height: 700, channels: 1, bits: 8, samples: pixels }]);
    const wordPixels = new Uint16Array(600 * 300).map((_, i) => (i * 97) % 65536);
    writeTestTiff(wide, [{ width: 600, height: 300, channels: 1, bits: 16, samples: wordPixels, compression: 'deflate', predictor: 2 }]);
    await writeFile(bad, 'definitely not a TIFF');
    const project = join(dir, 'project');

    const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'micra.js'), 'import', '--project', project, good, bad, wide], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ id: expect.any(Number), width: 1200, height: 700, bitsPerSample: 8, levels: 3 }),
      expect.objectContaining({ id: expect.any(Number), width: 600, height: 300, bitsPerSample: 16, levels: 2 }),
    ]);
    const errors = run.stderr.trim().split('\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^.*bad\.tif: .*TIFF/);

    // The project now exists and a second import of a good file succeeds with exit 0.
    const again = spawnSync(process.execPath, [join(repoRoot, 'bin', 'micra.js'), 'import', '--project', project, good], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ duplicateOf: lines[0]!.id });
  });
});
