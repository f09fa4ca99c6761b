// Lint, and the layering rule of DESIGN.md (in the spirit of VS Code's code-layering check):
// layers.config.mjs declares each layer, what it may import and the runtime it runs in; the
// blocks below are built from it. lint/layerImports.mjs checks every import of a layer's files
// against its allow-list, and no-restricted-globals keeps each layer to its runtime's globals.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { layers } from './layers.config.mjs';
import layerPlugin from './lint/layerImports.mjs';

// Code outside the layers (scripts, tests, configs) may import anything but electron.
const electronBan = { name: 'electron', message: 'Only src-main/electron/ may import electron.' };

const nodeOnly = Object.keys(globals.node).filter((name) => !(name in globals.browser));
const browserOnly = Object.keys(globals.browser).filter((name) => !(name in globals.node));
const runtimes = {
  node: { globals: globals.node, forbidden: browserOnly, why: 'runs in Node: no DOM' },
  browser: { globals: globals.browser, forbidden: [], why: '' },
  // Code for both sides sees only what Node and browsers share.
  both: {
    globals: Object.fromEntries(Object.entries(globals.node).filter(([name]) => name in globals.browser)),
    forbidden: [...nodeOnly, ...browserOnly],
    why: 'runs in Node and in the browser: only the globals both have',
  },
};

// SQL lives in the repositories: one per table family, all in one folder, so a migration is read
// beside every query it touches. Elsewhere code calls a repository's method, whose name says
// what the query means.
const repositoriesDir = 'src-main/core/project';
const sqlOutsideRepositories = {
  files: ['src-main/**/*.ts'],
  ignores: [`${repositoriesDir}/**`],
  rules: {
    'no-restricted-syntax': [
      'error',
      ...['prepare', 'pragma'].map((method) => ({
        selector: `CallExpression[callee.type='MemberExpression'][callee.property.name='${method}']`,
        message: `SQL lives in the repositories (${repositoriesDir}/): add a method to one there instead of calling .${method}() here.`,
      })),
      {
        // The open project's connection stays with its repositories (store.sweepRuns, store.training, …).
        selector: "MemberExpression[property.name='db']",
        message: `The connection stays in ${repositoriesDir}/: use a repository of the ProjectStore (or store.transaction) instead of .db here.`,
      },
    ],
  },
};

function layerBlock(layer) {
  const runtime = runtimes[layer.globals];
  return {
    files: [`${layer.dir}/**/*.ts`, `${layer.dir}/**/*.svelte`],
    languageOptions: { globals: { ...runtime.globals } },
    rules: {
      'no-restricted-imports': 'off',
      'micra-layers/imports': 'error',
      'no-restricted-globals': ['error', ...runtime.forbidden.map((name) => ({ name, message: `${layer.dir}/ ${runtime.why}.` }))],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'release/**', 'gpu-carry/**', 'gpu-out/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    plugins: { 'micra-layers': layerPlugin },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronBan] }],
    },
  },
  ...Object.values(layers).map(layerBlock),
  sqlOutsideRepositories,
  {
    // CommonJS hooks that electron-builder requires.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-renderer/**/*.svelte'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
