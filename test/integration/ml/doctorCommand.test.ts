// `micra doctor` as a user runs it: one JSON object naming every backend of the chain with why
// it is (not) usable, the one chosen, and the machine. Forced cpu and wasm by MICRA_BACKEND and
// --backend; on SwiftShader (Debian's chromium package) webgpu is skipped as a software adapter
// unless forced, and used when forced.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BackendAttemptSchema, BACKEND_NAMES, BackendNameSchema } from '../../../src-main/core/ml/backendInfo';
import { repoRoot } from './fixtureCases';
import { swiftShader } from './swiftShader';

const run = promisify(execFile);

const DoctorSchema = z
  .object({
    backends: z.array(BackendAttemptSchema),
    chosen: BackendNameSchema,
    adapter: z.string().nullable(),
    threads: z.number().int().positive(),
    forced: z.boolean(),
    reason: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpus: z.number().int().positive(),
    node: z.string(),
    tfjs: z.string(),
    env: z.record(z.string(), z.string().nullable()),
  })
  .strict();

// No Vulkan driver at all, so a developer's GPU does not change the answers of the CPU cases.
const NO_VULKAN = { VK_ICD_FILENAMES: '/nonexistent/micra-test-icd.json', VK_DRIVER_FILES: '/nonexistent/micra-test-icd.json' };

async function doctor(args: string[], env: NodeJS.ProcessEnv): Promise<z.infer<typeof DoctorSchema>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'doctor', ...args], {
    cwd: repoRoot,
    env,
    maxBuffer: 1 << 20,
    timeout: 240_000,
  });
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return DoctorSchema.parse(JSON.parse(lines[0] as string));
}

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NO_VULKAN };
  delete env['MICRA_BACKEND'];
  return env;
}

describe('micra doctor', () => {
  it('reports every backend of the chain and the one chosen: forced cpu, forced wasm, automatic', async () => {
    const [cpu, wasm, automatic] = await Promise.all([
      doctor([], { ...baseEnv(), MICRA_BACKEND: 'cpu' }),
      doctor(['--backend', 'wasm'], baseEnv()),
      doctor([], baseEnv()),
    ]);
    for (const report of [cpu, wasm, automatic]) {
      // Every backend is tried, also the ones after the chosen one.
      expect(report.backends.map((b) => b.name)).toEqual([...BACKEND_NAMES]);
      expect(report.backends.filter((b) => b.available).map((b) => b.name)).toEqual(['wasm', 'cpu']);
      const webgpu = report.backends.find((b) => b.name === 'webgpu');
      expect(webgpu).toMatchObject({ available: false, adapter: null, reason: expect.stringMatching(/^no Vulkan (adapter|loader)/) });
      expect(report.backends[0]?.reason).toMatch(/tfjs-node-gpu is not installed/);
      expect(report).toMatchObject({ platform: process.platform, arch: process.arch, adapter: null, threads: 1 });
      expect(report.cpus).toBeGreaterThan(0);
    }
    expect(cpu).toMatchObject({ chosen: 'cpu', forced: true, reason: '' });
    expect(cpu.env['MICRA_BACKEND']).toBe('cpu');
    expect(wasm).toMatchObject({ chosen: 'wasm', forced: true, reason: '' });
    expect(automatic).toMatchObject({ chosen: 'wasm', forced: false });
    expect(automatic.reason).toMatch(/^tensorflow-gpu: .+; webgpu: no Vulkan (adapter|loader).+; tensorflow: .+/);
  }, 300_000);

  it('refuses an unknown --backend', async () => {
    const failed = run(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'doctor', '--backend', 'metal'], { cwd: repoRoot, env: baseEnv() });
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--backend must be one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu/) });
  }, 120_000);

  const sw = swiftShader();
  it.skipIf(sw.env === null)(`skips SwiftShader unless webgpu is forced, and uses it when forced${sw.skip ? ` (skipped: ${sw.skip})` : ''}`, async () => {
    const env = sw.env as NodeJS.ProcessEnv;
    const [automatic, forced] = await Promise.all([doctor([], env), doctor([], { ...env, MICRA_BACKEND: 'webgpu' })]);
    const refused = automatic.backends.find((b) => b.name === 'webgpu');
    expect(refused).toEqual({
      name: 'webgpu',
      available: false,
      reason: 'only a software adapter (SwiftShader Vulkan) — set MICRA_BACKEND=webgpu to use it',
      adapter: 'SwiftShader (Vulkan, software)',
    });
    expect(automatic).toMatchObject({ chosen: 'wasm', adapter: null, forced: false });
    expect(forced).toMatchObject({ chosen: 'webgpu', adapter: 'SwiftShader (Vulkan, software)', forced: true, reason: '', threads: 1 });
    expect(forced.backends.find((b) => b.name === 'webgpu')).toMatchObject({ available: true, reason: '' });
    expect(forced.env['VK_ICD_FILENAMES']).toBe(env['VK_ICD_FILENAMES']);
  }, 300_000);
});
