#!/usr/bin/env node
// Entry of the `micra` command (npx micra). The TypeScript sources are bundled to dist/ by
// `npm run build`, which `npm install` runs through the prepare script.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/micra.js', import.meta.url);
if (!existsSync(bundle)) {
  console.error('micra: the build is missing; run `npm run build` in the Micra Studio folder first.');
  process.exit(1);
}
await import(bundle.href);
