// Where the other bundles are, seen from the running one: from dist/cli/micra.js in a build,
// from the TypeScript sources under vitest/tsx.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');
// src-main/cli/ and dist/cli/ both sit two levels below the repository root.
const repoRoot = join(here, '..', '..');

export function rendererDir(): string {
  return join(repoRoot, 'dist', 'renderer');
}

export interface ComputeEntry {
  path: string;
  execArgv: string[];
}

export function computeEntry(): ComputeEntry {
  return fromSources
    ? { path: join(repoRoot, 'src-main', 'compute', 'main.ts'), execArgv: ['--import', 'tsx'] }
    : { path: join(repoRoot, 'dist', 'compute', 'main.js'), execArgv: [] };
}
