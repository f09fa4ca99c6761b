// `micra import --pages all|first --skip-duplicates`: the same choices as the app's drop, run
// in-process against a real compute process; stdout lines and the project's rows are checked.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src-main/cli/argv';
import { runImportCommand } from '../../../src-main/cli/commands/importCommand';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { capturedConsole, ramp, tempDir } from './appTestKit';

const tmp = tempDir('micra-import-cli-');
const projectDir = path.join(tmp.dir, 'project');
const [W, H] = [120, 80];
const stack = path.join(tmp.dir, 'stack.tif');
writeTestTiff(stack, [0, 1, 2].map((k) => ({ width: W, height: H, channels: 1 as const, bits: 8 as const, samples: ramp(W, H).map((v) => (v + 50 * k) & 255), rowsPerStrip: 16 })));

const { out, err } = capturedConsole();
afterAll(() => tmp.cleanup());

function rows(): { name: string; source_page: number }[] {
  const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT name, source_page FROM images ORDER BY id').all() as { name: string; source_page: number }[];
  } finally {
    db.close();
  }
}

const json = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('micra import choices', () => {
  it('imports the first page only by default, saying so', async () => {
    expect(await runImportCommand(['--project', projectDir, stack])).toBe(0);
    expect(json(out)).toEqual([expect.objectContaining({ name: 'stack.tif · page 1/3', notice: expect.stringMatching(/first of its 3 pages only/) })]);
    expect(rows()).toEqual([{ name: 'stack.tif · page 1/3', source_page: 0 }]);
  });

  it('--pages all --skip-duplicates imports the other pages and reports the skipped one, exit 0', async () => {
    expect(await runImportCommand(['--project', projectDir, '--pages', 'all', '--skip-duplicates', stack])).toBe(0);
    const lines = json(out);
    expect(lines[0]).toMatchObject({ file: 'stack.tif · page 1/3', skippedDuplicateOf: 1, page: 0 });
    expect(lines.slice(1).map((l) => l.name)).toEqual(['stack.tif · page 2/3', 'stack.tif · page 3/3']);
    expect(err).toEqual([]);
    expect(rows().map((r) => r.source_page)).toEqual([0, 1, 2]);
  });

  it('without --skip-duplicates imports a duplicate and names the image it repeats', async () => {
    expect(await runImportCommand(['--project', projectDir, '--pages', 'first', stack])).toBe(0);
    expect(json(out)).toEqual([expect.objectContaining({ name: 'stack.tif · page 1/3', duplicateOf: 1 })]);
    expect(rows()).toHaveLength(4);
  });

  it('refuses an unknown --pages value before touching the project', async () => {
    await expect(runImportCommand(['--project', projectDir, '--pages', 'some', stack])).rejects.toThrow(UsageError);
    expect(rows()).toHaveLength(4);
  });
});
