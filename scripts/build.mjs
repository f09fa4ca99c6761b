#!/usr/bin/env node
// Builds every bundle: main-process code (CLI, serve mode, compute process, Electron main and
// preload) with esbuild, and the Svelte renderer with Vite. `--if-stale` skips the work when
// dist/ is newer than every source file, so `npm start` stays quick after the first build.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, readdirSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const sources = Math.max(
    newestMtime(join(root, 'src-shared')),
    newestMtime(join(root, 'src-main')),
    newestMtime(join(root, 'src-renderer')),
    statSync(join(root, 'package.json')).mtimeMs,
  );
  if (statSync(stamp).mtimeMs >= sources) process.exit(0);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  esbuild({
    ...common,
    format: 'esm',
    entryPoints: {
      'cli/micra': 'src-main/cli/main.ts',
      'compute/main': 'src-main/compute/main.ts',
      'compute/engineWorker': 'src-main/core/ml/engineWorkerEntry.ts',
      'compute/trainWorker': 'src-main/core/ml/training/trainWorkerEntry.ts',
      'compute/shardWorker': 'src-main/core/ml/training/shardWorkerEntry.ts',
      'compute/featurePrepWorker': 'src-main/core/ml/training/featurePrepWorkerEntry.ts',
    },
    outdir: 'dist',
    outExtension: { '.js': '.js' },
    banner: {
      // ESM bundles still meet CommonJS-only packages; give them require and __dirname.
      js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
    },
  }),
  esbuild({
    ...common,
    format: 'cjs',
    entryPoints: { 'electron/main': 'src-main/electron/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    // Core modules locate their siblings (dist/<area>/…) from import.meta.url; in a CommonJS
    // bundle that is this file's own URL.
    define: { 'import.meta.url': '__micraModuleUrl' },
    banner: { js: "const __micraModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  esbuild({
    // A sandboxed preload cannot require anything but 'electron': bundle everything into it.
    ...common,
    packages: undefined,
    external: ['electron'],
    format: 'cjs',
    entryPoints: { 'electron/preload': 'src-main/electron/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
  }),
  viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' }),
]);

mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stamp, new Date().toISOString());
