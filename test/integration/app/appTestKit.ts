// Shared helpers of the app-level import tests: a MicraApp over a real forked compute process,
// requests sent through the dispatcher exactly as a transport sends them, small TIFFs.
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, vi } from 'vitest';
import type { RequestChannel, RequestParams, RequestResult } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import { MicraApp } from '../../../src-main/core/app/micraApp';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { forkComputeChannel } from '../../../src-main/core/jobs/computeChannel';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The app with the real compute entry (src-main/compute/main.ts under tsx). */
export function realApp(): MicraApp {
  return createNodeApp('serve');
}

const DISK_FULL_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'diskFullComputeEntry.ts');

/** The app with a compute process whose tile writes hit a full disk. */
export function diskFullApp(): MicraApp {
  return new MicraApp({ transport: 'serve', computeChannel: () => forkComputeChannel(DISK_FULL_ENTRY, ['--import', 'tsx']) });
}

export type Answer<C extends RequestChannel> = { ok: true; result: RequestResult<C> } | { ok: false; error: { code: string; message: string } };

/** Sends a request as a transport would: schema-checked params and result. */
export async function request<C extends RequestChannel>(app: MicraApp, channel: C, params: RequestParams<C>): Promise<Answer<C>> {
  return (await dispatchRequest(app.handlers, channel, params)) as Answer<C>;
}

/** Like request, for calls expected to succeed. */
export async function ask<C extends RequestChannel>(app: MicraApp, channel: C, params: RequestParams<C>): Promise<RequestResult<C>> {
  const answer = await request(app, channel, params);
  if (!answer.ok) throw new Error(`${channel} failed: ${answer.error.message}`);
  return answer.result;
}

/** Image ids that have something in the tile store (a pyramid or a partial one). */
export function tileStoreIds(projectDir: string): string[] {
  const root = path.join(projectDir, 'tiles');
  return existsSync(root) ? readdirSync(root).sort() : [];
}

export function ramp(width: number, height: number, invert = false): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = (x * 3 + y * 5) & 255;
      out[y * width + x] = invert ? 255 - v : v;
    }
  return out;
}

/**
 * What a CLI command prints, line by line: console.log and console.error are captured, emptied
 * before each test of the calling file and restored after it.
 */
export function capturedConsole(): { out: string[]; err: string[] } {
  const printed = { out: [] as string[], err: [] as string[] };
  beforeEach(() => {
    printed.out.length = 0;
    printed.err.length = 0;
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.err.push(line));
  });
  afterEach(() => vi.restoreAllMocks());
  return printed;
}
