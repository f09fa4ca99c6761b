// `micra import` killed mid-import leaves its image 'importing'; the next `micra import` finishes
// it, and a retry of the same file is that image resumed (resumed: true), not a second copy.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runImportCommand } from '../../../src-main/cli/commands/importCommand';
import { openProjectStore } from '../../../src-main/core/project/projectStore';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { capturedConsole, ramp, tempDir } from '../app/appTestKit';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(REPO, 'src-main', 'cli', 'main.ts');
const tmp = tempDir('micra-cli-resume-');
afterAll(() => tmp.cleanup());
const { out, err } = capturedConsole();

interface Row {
  id: number;
  name: string;
  status: string;
  content_hash: string | null;
}

function rows(projectDir: string): Row[] {
  const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, name, status, content_hash FROM images ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

function rowsOrNone(projectDir: string): Row[] {
  try {
    return rows(projectDir);
  } catch {
    return []; // not created yet, or its schema is still being written
  }
}

const json = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('micra import after an interrupted import', () => {
  it('finishes the import a SIGKILL cut short, and the retried file makes no second copy', async () => {
    const [w, h] = [5000, 5000];
    const source = path.join(tmp.dir, 'large.tif');
    const samples = new Uint8Array(w * h);
    for (let i = 0; i < samples.length; i++) samples[i] = (i * 13 + (i >> 11)) & 255;
    writeTestTiff(source, [{ width: w, height: h, channels: 1, bits: 8, samples, rowsPerStrip: 64, compression: 'deflate' }]);
    const projectDir = path.join(tmp.dir, 'killed');

    const cli = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', '--project', projectDir, source], { cwd: REPO, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.once('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 120_000;
    while (!rowsOrNone(projectDir).some((r) => r.status === 'importing')) {
      if (Date.now() > deadline) throw new Error('the import never started');
      await sleep(20);
    }
    cli.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(rows(projectDir)).toEqual([expect.objectContaining({ status: 'importing', content_hash: null })]);

    expect(await runImportCommand(['--project', projectDir, source])).toBe(0);
    const [image] = rows(projectDir);
    expect(rows(projectDir)).toEqual([expect.objectContaining({ id: image!.id, status: 'ready', content_hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(json(out)).toEqual([expect.objectContaining({ id: image!.id, file: 'large.tif', width: w, height: h, resumed: true })]);
    expect(err).toEqual([]);
  }, 300_000);

  it('reports an unfinished import no file asked for, and still imports real duplicates unless told to skip', async () => {
    const projectDir = path.join(tmp.dir, 'built');
    const [w, h] = [300, 200];
    const first = path.join(tmp.dir, 'first.tif');
    const again = path.join(tmp.dir, 'first-again.tif');
    const pending = path.join(tmp.dir, 'pending.tif');
    const gone = path.join(tmp.dir, 'gone.tif');
    writeTestTiff(first, [{ width: w, height: h, channels: 1, bits: 8, samples: ramp(w, h) }]);
    writeTestTiff(again, [{ width: w, height: h, channels: 1, bits: 8, samples: ramp(w, h), compression: 'lzw' }]);
    writeTestTiff(pending, [{ width: w, height: h, channels: 1, bits: 8, samples: ramp(w, h, true) }]);
    expect(await runImportCommand(['--project', projectDir, first])).toBe(0);
    const [firstId] = rows(projectDir).map((r) => r.id);
    // The state a killed run leaves: rows still 'importing', one whose source has since gone.
    const store = openProjectStore(projectDir, { create: false });
    const interrupted = (file: string) =>
      store.images.insertImporting({
        name: path.basename(file), width: w, height: h, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm: null,
        sourcePath: file, contentHash: null,
      });
    const pendingId = interrupted(pending);
    const goneId = interrupted(gone);
    store.close();
    out.length = 0;

    expect(await runImportCommand(['--project', projectDir, again])).toBe(0);
    expect(json(out)).toEqual([
      expect.objectContaining({ file: 'first-again.tif', duplicateOf: firstId }),
      expect.objectContaining({ id: pendingId, name: 'pending.tif', resumed: true }),
    ]);
    expect(err).toEqual([expect.stringMatching(new RegExp(`^image ${goneId} \\("gone.tif"\\): .*can no longer be read`))]);
    expect(rows(projectDir).map((r) => [r.name, r.status])).toEqual([
      ['first.tif', 'ready'],
      ['pending.tif', 'ready'],
      ['gone.tif', 'failed'],
      ['first-again.tif', 'ready'],
    ]);
    expect(fs.existsSync(path.join(projectDir, 'tiles', String(pendingId)))).toBe(true);
  }, 120_000);
});
