// Every control the UI can disable says why (issue 17): each element written with a `disabled`
// attribute in src-renderer also has a `title`, which Chromium shows as the tooltip and exposes
// as the control's accessible description. Checked on the parsed Svelte markup, so a new
// disabled button without a reason fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../../src-renderer');

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : []));
}

interface Node {
  type: string;
  name?: string;
  start: number;
  attributes?: { type: string; name?: string }[];
  [key: string]: unknown;
}

/** Every element of the template (not components: they pass `disabled` on to an element checked in their own file). */
function elements(node: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const n of node) elements(n, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const n = node as Node;
  if (n.type === 'RegularElement') out.push(n);
  for (const [k, v] of Object.entries(n)) if (k !== 'instance' && k !== 'module' && k !== 'css' && typeof v === 'object') elements(v, out);
  return out;
}

function lineOf(source: string, offset: number): number {
  return source.slice(0, offset).split('\n').length;
}

describe('disabled controls', () => {
  it('every element that can be disabled has a title saying why', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of svelteFiles(ROOT)) {
      const source = readFileSync(file, 'utf8');
      const ast = parse(source, { modern: true });
      for (const el of elements(ast.fragment)) {
        const names = (el.attributes ?? []).filter((a) => a.type === 'Attribute').map((a) => a.name);
        if (!names.includes('disabled')) continue;
        checked++;
        if (!names.includes('title')) missing.push(`${relative(ROOT, file)}:${lineOf(source, el.start)} <${el.name}>`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
