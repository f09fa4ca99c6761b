// The README lists every `micra` command with every flag it accepts: read from the command
// table of src-main/cli/main.ts and each command's parseCommandArgs options, so a new command or
// flag without its README line fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

function commands(): Array<{ name: string; flags: string[] }> {
  const main = read('src-main/cli/main.ts');
  const table = /const COMMANDS[^{]*\{([^}]*)\}/.exec(main)?.[1] ?? '';
  return [...table.matchAll(/^\s*(\w+): (\w+),/gm)].map(([, name, fn]) => {
    const from = new RegExp(`import \\{ ${fn} \\} from '\\./(commands/\\w+)'`).exec(main)?.[1];
    if (!from) throw new Error(`no import of ${fn}`);
    const source = read(`src-main/cli/${from}.ts`);
    const flags = [...source.matchAll(/'?([a-z][\w-]*)'?: \{ type: '(?:string|boolean)'/g)].map((m) => m[1]!);
    return { name: name!, flags };
  });
}

describe('README', () => {
  it('lists every micra command with all its flags', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## The `micra` command'), readme.indexOf('\n## ', readme.indexOf('## The `micra` command') + 5));
    const list = commands();
    expect(list.map((c) => c.name)).toEqual(expect.arrayContaining(['serve', 'import', 'region', 'maps', 'sweep', 'export', 'train', 'evaluate']));
    for (const { name, flags } of list) {
      const at = section.indexOf(`npx micra ${name} `);
      expect(at, `README lists micra ${name}`).toBeGreaterThanOrEqual(0);
      const next = section.indexOf('npx micra ', at + 10);
      const block = section.slice(at, next < 0 ? undefined : next);
      for (const flag of flags) expect(block, `micra ${name} --${flag} in the README`).toContain(`--${flag}`);
    }
  });
});
