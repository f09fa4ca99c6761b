// The README lists every `micra` command with every flag it accepts: read from the command
// table of src-main/cli/main.ts and each command's parseCommandArgs options, so a new command or
// flag without its README line fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

const FLAG = /'?([a-z][\w-]*)'?: \{ type: '(?:string|boolean)'/g;
/** `name: fn,` or `'quoted-name': fn,` entries of a command table. */
const TABLE_ENTRY = /^\s*'?([\w-]+)'?: (\w+),/gm;

/** The module `fn` is imported from, in `source` (a file of folder `dir`). */
function importOf(source: string, fn: string, dir: string): string {
  const from = new RegExp(`import \\{ ${fn} \\} from '\\./([\\w/]+)'`).exec(source)?.[1];
  if (!from) throw new Error(`no import of ${fn}`);
  return `${dir}/${from}.ts`;
}

/**
 * Every command, and every subcommand of a command that routes to its own command files
 * (`micra annotations import|export|…`), with the flags its options declare.
 */
function commands(): Array<{ name: string; flags: string[] }> {
  const main = read('src-main/cli/main.ts');
  const table = /const COMMANDS[^{]*\{([^}]*)\}/.exec(main)?.[1] ?? '';
  return [...table.matchAll(TABLE_ENTRY)].flatMap(([, name, fn]) => {
    const file = importOf(main, fn!, 'src-main/cli');
    const source = read(file);
    const subs = [...source.matchAll(TABLE_ENTRY)].filter(([, , subFn]) => new RegExp(`import \\{ ${subFn} \\} from '\\./`).test(source));
    if (subs.length > 0) {
      return subs.map(([, sub, subFn]) => ({ name: `${name} ${sub}`, flags: [...read(importOf(source, subFn!, 'src-main/cli/commands')).matchAll(FLAG)].map((m) => m[1]!) }));
    }
    return [{ name: name!, flags: [...source.matchAll(FLAG)].map((m) => m[1]!) }];
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
