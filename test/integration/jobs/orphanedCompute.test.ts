// A host killed while its compute process works: the compute process must notice its parent is
// gone and exit quietly, not keep computing and not die on an unhandled EPIPE — also when a job
// holds its main thread at that moment. Linux only: processes are looked at through /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTestTiff } from '../../generators/tiff/tiffWriter';
import { tempDir } from '../imaging/importTestKit';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(REPO, 'src-main', 'cli', 'main.ts');
const COMPUTE_PARENT = path.join(REPO, 'test', 'integration', 'jobs', 'fixtures', 'computeParent.ts');
const tmp = tempDir('micra-orphan-');
afterAll(() => tmp.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value, or fails after `seconds` (a generous bound, not a timing claim). */
async function waitFor<T>(what: string, seconds: number, check: () => T | null | undefined): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

/** [pid, ppid, state] of every process, from /proc. */
function processes(): Array<{ pid: number; ppid: number; state: string }> {
  const out: Array<{ pid: number; ppid: number; state: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(entry), state: fields[0] ?? '?', ppid: Number(fields[1]) });
    } catch {
      // the process ended while being listed
    }
  }
  return out;
}

/** Gone, or a zombie waiting for a reaper (it no longer runs). */
function isGone(pid: number): boolean {
  const found = processes().find((p) => p.pid === pid);
  return found === undefined || found.state === 'Z';
}

function importingJob(projectDir: string): boolean {
  const dbFile = path.join(projectDir, 'project.sqlite');
  if (!fs.existsSync(dbFile)) return false;
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT count(*) AS n FROM jobs WHERE kind = 'import' AND status = 'running'").get() as { n: number };
      return row.n > 0;
    } finally {
      db.close();
    }
  } catch {
    return false; // the schema is still being created
  }
}

/** Everything a process and the processes it started write to stderr, until the last one closes it. */
function collectStderr(child: ReturnType<typeof spawn>): { text: () => string; closed: Promise<void> } {
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stdout?.resume();
  return { text: () => text, closed: new Promise<void>((resolve) => child.stderr?.once('close', () => resolve())) };
}

describe.runIf(process.platform === 'linux')('the compute process of a killed host', () => {
  it('exits while a job holds its main thread, and never prints EPIPE', async () => {
    const marker = path.join(tmp.dir, 'blocking.pid');
    const host = spawn(process.execPath, ['--import', 'tsx', COMPUTE_PARENT, marker], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = collectStderr(host);
    // The job writes its pid, then blocks its thread for 4 s before its next message to the host.
    const child = await waitFor('the job to block', 60, () => (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8')) || null);
    host.kill('SIGKILL');
    await waitFor('the orphaned compute process to exit', 30, () => (isGone(Number(child)) ? true : null));
    await Promise.race([stderr.closed, sleep(10_000)]);
    expect(stderr.text()).not.toMatch(/EPIPE/);
    expect(stderr.text()).not.toMatch(/Error/);
  }, 120_000);

  it('exits soon after its parent is SIGKILLed, with no EPIPE on stderr', async () => {
    // Large enough that the import is still running (and reporting progress) when the CLI dies.
    const [w, h] = [6000, 6000];
    const samples = new Uint8Array(w * h);
    for (let i = 0; i < samples.length; i++) samples[i] = (i * 31 + (i >> 12)) & 255;
    const source = path.join(tmp.dir, 'big.tif');
    writeTestTiff(source, [{ width: w, height: h, channels: 1, bits: 8, samples, rowsPerStrip: 64, compression: 'deflate' }]);
    const projectDir = path.join(tmp.dir, 'project');

    const cli = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', '--project', projectDir, source], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The pipe closes when its last writer does: the CLI and the compute process it gave it to.
    const stderr = collectStderr(cli);

    const child = await waitFor('the compute process to import', 120, () => {
      if (!importingJob(projectDir)) return null;
      return processes().find((p) => p.ppid === cli.pid)?.pid;
    });
    cli.kill('SIGKILL');
    await waitFor('the orphaned compute process to exit', 30, () => (isGone(child) ? true : null));
    await Promise.race([stderr.closed, sleep(10_000)]);
    expect(stderr.text()).not.toMatch(/EPIPE/);
    expect(stderr.text()).not.toMatch(/Error/);
  }, 240_000);
});
