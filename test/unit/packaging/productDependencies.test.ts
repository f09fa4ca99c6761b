// Every package the product depends on (package.json `dependencies`, shipped in the app's
// node_modules) is used by the product's code: a dependency imported nowhere only adds size and
// attack surface to every install and package.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(p);
    return /\.(ts|svelte|mjs|cjs|js)$/.test(entry.name) ? [p] : [];
  });
}

const code = ['src-main', 'src-renderer'].flatMap((dir) => sources(path.join(root, dir))).map((file) => readFileSync(file, 'utf8'));

/**
 * import … from 'name' / 'name/sub', import('name'), require('name'), require.resolve('name')
 * (how a package loaded by a computed specifier, as webgpu's dawn.node, is found), either quote.
 */
function isImported(name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const specifier = new RegExp(`(?:from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*|\\.resolve\\s*\\(\\s*|import\\s+)['"]${escaped}(?:/[^'"]*)?['"]`);
  return code.some((text) => specifier.test(text));
}

describe('product dependencies', () => {
  it('are each imported by the product’s code', () => {
    const unused = Object.keys(pkg.dependencies).filter((name) => !isImported(name));
    expect(unused).toEqual([]);
  });
});
