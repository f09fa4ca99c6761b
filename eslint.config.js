// Lint, and the layering rule of DESIGN.md (in the spirit of VS Code's layer checks):
//   - src-main/core imports neither 'electron' nor the DOM world (renderer code, pixi, svelte);
//   - only src-main/electron imports 'electron';
//   - src-renderer imports only *types* from src-main/api, and nothing else from src-main.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const electronBan = { name: 'electron', message: 'Only src-main/electron/ may import electron.' };
const domLibraries = [
  { group: ['pixi.js', 'pixi.js/*', 'svelte', 'svelte/*', 'uplot'], message: 'core/ is DOM-free: no renderer libraries.' },
  { group: ['**/src-renderer/**'], message: 'core/ must not import renderer code.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'release/**', 'gpu-carry/**', 'gpu-out/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronBan] }],
    },
  },
  {
    files: ['src-main/core/**/*.ts', 'src-main/compute/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/server/**/*.ts', 'src-main/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronBan], patterns: domLibraries }] },
  },
  {
    files: ['src-main/core/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement'],
    },
  },
  {
    // CommonJS hooks that electron-builder requires.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte', 'src-renderer/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['**/src-main/api/*', '**/src-main/api'],
              allowTypeImports: true,
              message: 'The renderer imports only types from src-main/api.',
            },
            {
              group: ['**/src-main/*', '!**/src-main/api', '!**/src-main/api/*'],
              message: 'The renderer knows main only through the MicraApi types.',
            },
            { group: ['node:*', 'better-sqlite3', 'sharp', '@tensorflow/*'], message: 'No Node modules in the renderer.' },
          ],
        },
      ],
    },
  },
);
