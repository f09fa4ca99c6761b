// Starts the real `micra serve` (the built CLI) as a child process and reads its address from
// the first line of stdout, exactly as a user or script would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServedApp {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const FIRST_LINE = /^Micra Studio is serving at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/;

/** `env` is added to this process's environment (e.g. a scratch HOME for the folder browser). */
export async function startServedApp(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServedApp> {
  const child = spawn(process.execPath, [`${repoRoot}bin/micra.js`, 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.MICRA_E2E_VERBOSE) process.stderr.write(chunk);
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(([code]) => {
      throw new Error(`micra serve exited with ${code} before serving:\n${stderr}`);
    }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`micra serve did not start:\n${stderr}`)), 30_000)),
  ]);
  const match = FIRST_LINE.exec(firstLine);
  if (!match) throw new Error(`unexpected first line from micra serve: ${firstLine}`);
  const url = match[1]!;
  return {
    url,
    origin: new URL(url).origin,
    token: match[3]!,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
