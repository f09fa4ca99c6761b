// SQL lives in the repositories (src-main/core/project/): the lint refuses a statement prepared
// anywhere else in main, so a query cannot drift back into a service.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function sqlErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const prepared = "import type { Database } from 'better-sqlite3';\nexport const rows = (db: Database) => db.prepare('SELECT 1').all();\n";
const throughStore = "import type { ProjectStore } from './projectStore';\nexport const n = (store: ProjectStore) => store.db.prepare('SELECT count(*) FROM images').get();\n";
const connection = "import type { ProjectStore } from './projectStore';\nexport const connectionOf = (store: ProjectStore) => store.db;\n";
const pragma = "import type { Database } from 'better-sqlite3';\nexport const v = (db: Database) => db.pragma('user_version');\n";

describe('SQL outside the repositories', () => {
  it('is refused in every part of main but core/project', async () => {
    for (const file of ['src-main/core/review/x.ts', 'src-main/core/ml/dataset/x.ts', 'src-main/core/app/handlers/x.ts', 'src-main/cli/commands/x.ts', 'src-main/server/x.ts', 'src-main/compute/x.ts']) {
      expect((await sqlErrors(prepared, file)).join(), file).toMatch(/SQL lives in the repositories \(src-main\/core\/project\/\)/);
      expect((await sqlErrors(throughStore, file)).join(), file).toMatch(/\.prepare\(\)/);
      expect((await sqlErrors(pragma, file)).join(), file).toMatch(/\.pragma\(\)/);
      expect((await sqlErrors(connection, file)).join(), file).toMatch(/The connection stays in src-main\/core\/project\//);
    }
  });

  it('is allowed in the repositories', async () => {
    for (const file of ['src-main/core/project/x.ts', 'src-main/core/project/migrations/x.ts']) {
      expect(await sqlErrors(prepared, file), file).toEqual([]);
      expect(await sqlErrors(pragma, file), file).toEqual([]);
      expect(await sqlErrors(connection, file), file).toEqual([]);
    }
  });

  it('holds for the tree as it is', { timeout: 120_000 }, async () => {
    const results = await eslint.lintFiles(['src-main/**/*.ts']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${r.filePath}:${m.line}`));
    expect(found).toEqual([]);
  });
});
