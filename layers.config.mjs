// The one declaration of the code's layers and what each may import (an allow-list, in the spirit
// of VS Code's code-layering check). eslint.config.js builds its layer rules from it
// (lint/layerImports.mjs checks every import), test/unit/lint/layering.test.ts plants a file in
// each layer importing each layer it may not, and src-main/README.md's table says the same in words.
//
// A layer is a folder. `may` names the layers (or a layer's subfolder: 'core/app') whose modules
// it may import as values and types; `mayTypes` those it may import types from only (erased at
// build time, so no code crosses). A layer may always import its own folder. `packages` lists the
// npm packages and Node built-ins it may import ('node:*' for all built-ins, 'pkg/*' for a
// package's subpaths). `globals` is the runtime it runs in: 'node', 'browser', or 'both' for code
// that must run in either and so may use only the globals they share.

/** @type {Record<string, import('./layers.config.d.mts').Layer>} */
export const layers = {
  shared: {
    dir: 'src-shared',
    role: 'pure, dependency-free logic both main and the renderer import as values',
    may: [],
    packages: [],
    globals: 'both',
  },
  api: {
    dir: 'src-main/api',
    role: 'the MicraApi contract: zod schemas and their types',
    may: ['shared'],
    packages: ['zod'],
    globals: 'both',
  },
  core: {
    dir: 'src-main/core',
    role: 'application services: DOM-free, no Electron, no transport',
    may: ['shared', 'api'],
    packages: ['node:*', 'zod', '@tensorflow/*', 'better-sqlite3', 'sharp', 'h5wasm', 'h5wasm/*', 'webgpu'],
    globals: 'node',
  },
  compute: {
    dir: 'src-main/compute',
    role: 'entry of the compute process',
    may: ['shared', 'api', 'core'],
    packages: ['node:*', 'zod'],
    globals: 'node',
  },
  server: {
    dir: 'src-main/server',
    role: 'serve mode: HTTP + WebSocket transport',
    may: ['shared', 'api', 'core/app'],
    packages: ['node:*', 'zod', 'ws'],
    globals: 'node',
  },
  electron: {
    dir: 'src-main/electron',
    role: 'Electron main and preload: the only code importing electron',
    may: ['shared', 'api', 'core/app', 'core/jobs'],
    packages: ['node:*', 'zod', 'electron'],
    globals: 'node',
  },
  cli: {
    dir: 'src-main/cli',
    role: 'the micra command',
    may: ['shared', 'api', 'core', 'server'],
    packages: ['node:*', 'zod', '@tensorflow/*', 'sharp'],
    globals: 'node',
  },
  renderer: {
    dir: 'src-renderer',
    role: 'the Svelte + Pixi UI: a browser page, no Node modules, knowing main only through the MicraApi types',
    may: ['shared'],
    mayTypes: ['api'],
    packages: ['pixi.js', 'pixi.js/*', 'svelte', 'svelte/*', 'uplot', 'uplot/*'],
    globals: 'browser',
  },
};
