// The layering rule of DESIGN.md must actually bite: lint code that breaks it, as if it sat
// in each layer, and expect the rule to name the violation. The forbidden pairs are derived from
// the same declaration the lint is built from (layers.config.mjs), so a layer added there is
// tested here without a new line.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layers, type Layer } from '../../../layers.config.mjs';

const root = new URL('../../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });
const importRules = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports', 'micra-layers/imports']);

async function messages(code: string, filePath: string, rules: ReadonlySet<string>): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && rules.has(m.ruleId)).map((m) => m.message);
}

const restrictedImportErrors = (code: string, filePath: string): Promise<string[]> => messages(code, filePath, importRules);

/** The folder an allow-list entry names ('core' or 'core/app'). */
function entryDir(entry: string): string {
  const [name, ...sub] = entry.split('/');
  const layer = layers[name as string];
  if (!layer) throw new Error(`no layer ${name}`);
  return [layer.dir, ...sub].join('/');
}

const within = (file: string, dir: string): boolean => file === dir || file.startsWith(`${dir}/`);

/** A file planted in `layer` importing `target` (a repository path) as a value or as a type. */
function planted(layer: Layer, target: string, typeOnly = false): { code: string; file: string } {
  const file = `${layer.dir}/__planted__.ts`;
  let spec = path.posix.relative(layer.dir, target);
  if (!spec.startsWith('.')) spec = `./${spec}`;
  const code = typeOnly
    ? `import type { Planted } from '${spec}';\nexport type P = Planted;\n`
    : `import { planted } from '${spec}';\nexport const p = planted;\n`;
  return { code, file };
}

const named = Object.entries(layers);

describe('layering lint rule', () => {
  it('keeps electron out of core, server, cli and the renderer', async () => {
    for (const file of ['src-main/core/project/x.ts', 'src-main/server/x.ts', 'src-main/cli/x.ts', 'src-renderer/x.ts']) {
      const errors = await restrictedImportErrors("import { app } from 'electron';\nexport const a = app;\n", file);
      expect(errors.join(), file).toMatch(/electron/);
    }
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const a = app;\n", 'src-main/electron/x.ts')).toEqual([]);
  });

  it('keeps the DOM world out of core', async () => {
    const errors = await restrictedImportErrors("import { Application } from 'pixi.js';\nexport const a = Application;\n", 'src-main/core/imaging/x.ts');
    expect(errors.join()).toMatch(/DOM-free/);
  });

  it('lets the renderer import only types from src-main/api', async () => {
    const typeOnly = "import type { MicraApi } from '../src-main/api/types';\nexport type A = MicraApi;\n";
    expect(await restrictedImportErrors(typeOnly, 'src-renderer/x.ts')).toEqual([]);
    const value = "import { requestSchemas } from '../src-main/api/schemas';\nexport const a = requestSchemas;\n";
    expect((await restrictedImportErrors(value, 'src-renderer/x.ts')).join()).toMatch(/only types/);
    const core = "import { openProjectStore } from '../src-main/core/project/projectStore';\nexport const a = openProjectStore;\n";
    expect((await restrictedImportErrors(core, 'src-renderer/x.ts')).length).toBeGreaterThan(0);
    const node = "import { readFile } from 'node:fs';\nexport const a = readFile;\n";
    expect((await restrictedImportErrors(node, 'src-renderer/x.ts')).join()).toMatch(/Node/);
  });

  it('refuses, in every layer, an import of every layer it may not import', async () => {
    let refused = 0;
    for (const [name, layer] of named) {
      for (const [otherName, other] of named) {
        if (other === layer) continue;
        const target = `${other.dir}/planted`;
        if (layer.may.some((e) => within(target, entryDir(e)))) continue;
        const { code, file } = planted(layer, target);
        const errors = await restrictedImportErrors(code, file);
        expect(errors.join(), `${name} importing ${otherName}`).toMatch(/may (not )?import/);
        refused++;
      }
    }
    // The pairs named in issue 16, among others.
    expect(refused).toBeGreaterThanOrEqual(4);
  });

  it('refuses the imports issue 16 found passing', async () => {
    const cases: Array<[string, string]> = [
      ["import { openProjectStore } from '../core/project/projectStore';", 'src-main/api/x.ts'],
      ["import { startServeMode } from '../../server/serveMode';", 'src-main/core/app/x.ts'],
      ["import { run } from '../../cli/main';", 'src-main/core/app/x.ts'],
      ["import { utilityComputeChannel } from '../../electron/computeChannel';", 'src-main/core/jobs/x.ts'],
      ["import { main } from '../electron/main';", 'src-main/compute/x.ts'],
    ];
    for (const [line, file] of cases) {
      const errors = await restrictedImportErrors(`${line}\nexport const a = 1;\n`, file);
      expect(errors.length, `${line} in ${file}`).toBeGreaterThan(0);
    }
  });

  it('lets every layer import what it may: itself, each allowed layer, its packages', async () => {
    for (const [name, layer] of named) {
      const own = planted(layer, `${layer.dir}/sub/sibling`);
      expect(await restrictedImportErrors(own.code, own.file), `${name} importing itself`).toEqual([]);
      for (const entry of layer.may) {
        const { code, file } = planted(layer, entryDir(entry));
        expect(await restrictedImportErrors(code, file), `${name} importing ${entry}`).toEqual([]);
      }
      for (const entry of layer.mayTypes ?? []) {
        const types = planted(layer, `${entryDir(entry)}/types`, true);
        expect(await restrictedImportErrors(types.code, types.file), `${name} importing types of ${entry}`).toEqual([]);
        const value = planted(layer, `${entryDir(entry)}/types`);
        expect((await restrictedImportErrors(value.code, value.file)).join(), `${name} importing values of ${entry}`).toMatch(/only types/);
      }
      const file = `${layer.dir}/__planted__.ts`;
      for (const pkg of layer.packages) {
        const spec = pkg.replace(/\*$/, 'x');
        expect(await restrictedImportErrors(`import x from '${spec}';\nexport const a = x;\n`, file), `${name} importing ${spec}`).toEqual([]);
      }
      const foreign = layer.packages.includes('sharp') ? 'pixi.js' : 'sharp';
      expect((await restrictedImportErrors(`import x from '${foreign}';\nexport const a = x;\n`, file)).join(), `${name} importing ${foreign}`).toMatch(/may not import/);
    }
  });

  it('keeps each layer to the globals of its runtime', async () => {
    const globalsRule = new Set(['no-restricted-globals']);
    expect((await messages('export const a = document.title;\n', 'src-main/core/x.ts', globalsRule)).length).toBe(1);
    for (const use of ['document.title', 'process.env', 'Buffer.alloc(1)', 'window.name']) {
      expect((await messages(`export const a = ${use};\n`, 'src-shared/x.ts', globalsRule)).length, use).toBe(1);
    }
    expect(await messages('export const a = new TextEncoder().encode(String(Math.PI));\n', 'src-shared/x.ts', globalsRule)).toEqual([]);
    expect(await messages('export const a = document.title;\n', 'src-renderer/x.ts', globalsRule)).toEqual([]);
  });
});
