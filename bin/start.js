#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is present, otherwise serve mode (the
// same UI in any Chromium), saying why. The electron package's own binary download is not run
// at install time (package.json allowScripts), so it is tried here, once, quietly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const passThrough = process.argv.slice(2);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when it was never downloaded.
    const path = require('electron');
    if (!existsSync(path)) return { error: `the Electron binary is missing at ${path}` };
    return { path };
  } catch (err) {
    return { error: `the Electron binary is not installed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
  }
}

function tryDownloadElectron() {
  let installer;
  try {
    installer = require.resolve('electron/install.js');
  } catch {
    return 'the electron package is not installed';
  }
  const run = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: 120_000 });
  if (run.status === 0) return null;
  const output = `${run.stderr ?? ''}${run.stdout ?? ''}`;
  const cause = output.match(/(getaddrinfo \S+ \S+|ENOTFOUND \S+|ECONNREFUSED \S+|EAI_AGAIN \S+|HTTPError[^\n]*)/);
  return `the Electron binary is not installed and its download failed (${cause ? cause[1] : run.error?.message ?? `exit ${run.status}`})`;
}

let electron = electronBinary();
if (!electron.path && process.env.MICRA_NO_ELECTRON_DOWNLOAD !== '1') {
  const failure = tryDownloadElectron();
  electron = failure === null ? electronBinary() : { error: failure };
}

const forceServe = process.env.MICRA_SERVE === '1';
if (electron.path && !forceServe) {
  const child = spawn(electron.path, [root, ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = forceServe
    ? 'Electron was not used: MICRA_SERVE=1 asks for serve mode.'
    : `Electron was not used: ${electron.error}. Open the address above in Chromium or Chrome.`;
  const child = spawn(process.execPath, [fileURLToPath(new URL('./micra.js', import.meta.url)), 'serve', ...passThrough], {
    stdio: 'inherit',
    env: { ...process.env, MICRA_SERVE_NOTE: why },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
