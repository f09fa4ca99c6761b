// The layering rule of DESIGN.md must actually bite: lint code that breaks it, as if it sat
// in each layer, and expect the rule to name the violation.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../..', import.meta.url).pathname });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

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
});
