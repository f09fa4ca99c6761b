// The Train screen tells the user which compute the engine uses, as the server reports it
// (compute.info, asked here over the same WebSocket API the page uses): the GPU and its API, or
// the CPU backend with its threads and why the faster backends were skipped. The served app
// runs with Vulkan pointed at SwiftShader where Debian's chromium ships it, so the line names a
// real reason: a software adapter is skipped unless webgpu is forced.
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestResult } from '../../src-main/api/types';
import { swiftShader } from '../integration/ml/swiftShader';
import { join } from 'node:path';
import { endE2eSession, screenshotDir, startE2eSession } from './support/e2eSession';
import { createProjectInUi } from './support/projectSteps';
import type { ServedApp } from './support/servedApp';

let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
const sw = swiftShader();
const STEERING = ['VK_ICD_FILENAMES', 'LD_LIBRARY_PATH', 'MICRA_BACKEND'] as const;
const savedEnv = Object.fromEntries(STEERING.map((k) => [k, process.env[k]]));

async function askServer(channel: 'compute.info'): Promise<RequestResult<'compute.info'>> {
  const url = new URL(served.url);
  const socket = new WebSocket(`ws://${url.host}/api?token=${served.token}`);
  await new Promise((resolve, reject) => {
    socket.on('open', resolve);
    socket.on('error', reject);
  });
  try {
    const reply = new Promise<{ ok: boolean; result?: unknown; error?: { message: string } }>((resolve) =>
      socket.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { kind: string; id: number };
        if (m.kind === 'response' && m.id === 1) resolve(m as never);
      }),
    );
    socket.send(JSON.stringify({ id: 1, channel, params: {} }));
    const r = await reply;
    if (!r.ok) throw new Error(r.error?.message);
    return r.result as RequestResult<'compute.info'>;
  } finally {
    socket.close();
  }
}

beforeAll(async () => {
  // The served app (and its compute process) inherit this environment.
  if (sw.env) Object.assign(process.env, { VK_ICD_FILENAMES: sw.env['VK_ICD_FILENAMES'], LD_LIBRARY_PATH: sw.env['LD_LIBRARY_PATH'] ?? '' });
  delete process.env['MICRA_BACKEND'];
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-compute-e2e-', projectName: 'Compute study' }));
});

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
  for (const k of STEERING) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

describe('which compute the engine uses', () => {
  it('shows on the Train screen what the server reports', async () => {
    await createProjectInUi(page, served.url, projectDir);
    await page.getByTestId('mode-train').click();
    const summary = page.getByTestId('compute-summary');
    await summary.waitFor({ timeout: 120_000 });
    const shown = ((await summary.textContent()) ?? '').trim();
    const info = await askServer('compute.info');

    expect(await page.getByTestId('compute-status').getAttribute('data-backend')).toBe(info.backend);
    const skipped = info.tried.filter((t) => !t.available);
    if (info.gpu) {
      expect(shown).toBe(`GPU: ${info.adapter}`);
    } else {
      expect(shown.startsWith(`CPU: ${info.backend}, ${info.threads} thread`)).toBe(true);
      const webgpu = skipped.find((t) => t.name === 'webgpu');
      if (webgpu) expect(shown).toContain(`webgpu skipped: ${webgpu.reason.split(' — ')[0]}`);
    }
    // Every skipped backend, with the reason the server gave.
    await page.getByTestId('compute-status').locator('summary').click();
    const listed = await page.getByTestId('compute-skipped').allTextContents();
    expect(listed.map((l) => l.trim())).toEqual(skipped.map((t) => `${t.name}: ${t.reason}`));
    await page.getByTestId('compute-status').screenshot({ path: join(screenshotDir, 'compute-status.png') });

    if (sw.env) {
      // A software rasteriser is not worth the CPU's time unless forced: the engine stays on wasm.
      expect(info).toMatchObject({ backend: 'wasm', gpu: false, adapter: null });
      expect(shown).toMatch(/^CPU: wasm, \d+ threads? — webgpu skipped: only a software adapter \(SwiftShader Vulkan\)$/);
    }
  });
});
