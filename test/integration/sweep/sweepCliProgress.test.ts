// `micra sweep` progress when stderr is not a terminal (a log, a pipe, a Slurm job): one line
// per update, no carriage returns, the last one saying every crop is done; --quiet: none. The
// JSON results on stdout are the same either way.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODEL, REPO, sweepProject, type SweepProject } from './sweepKit';

const CLI = path.join(REPO, 'src-main', 'cli', 'main.ts');
const PROGRESS = /^image (\d+): (\d+)\/(\d+) crops/;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('micra sweep progress without a terminal', () => {
  let p: SweepProject;
  let args: string[];
  beforeAll(async () => {
    p = await sweepProject({ width: 768, height: 256, seed: 5, markerCount: 2 });
    await p.app.close();
    args = ['sweep', '--project', p.projectDir, '--image', String(p.imageId), '--model', FIXTURE_MODEL, '--workers', '1'];
  }, 60_000);
  afterAll(async () => {
    await p?.cleanup();
  });

  it('prints one line per update, without carriage returns, ending at every crop done', async () => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toContain('\x1b');
    const lines = stderr.split('\n').filter((l) => PROGRESS.test(l));
    expect(lines.length).toBeGreaterThan(0);
    const [, image, done, total] = PROGRESS.exec(lines.at(-1)!)!;
    expect(Number(image)).toBe(p.imageId);
    expect(Number(done)).toBe(Number(total));
    // No tfjs banner either.
    expect(stderr).not.toMatch(/tfjs-node|running TensorFlow\.js in Node/);
    expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({ image: p.imageId, status: 'done' });
  }, 300_000);

  it('prints no progress with --quiet', async () => {
    const { code, stdout, stderr } = await runCli([...args, '--restart', '--quiet']);
    expect(code, stderr).toBe(0);
    expect(stderr.split('\n').filter((l) => PROGRESS.test(l))).toEqual([]);
    expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({ image: p.imageId, status: 'done', resumed: false });
  }, 300_000);
});
