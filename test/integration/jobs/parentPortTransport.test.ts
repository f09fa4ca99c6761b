import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComputeChannel } from '../../../src-main/core/jobs/computeChannel';
import { ComputeHost } from '../../../src-main/core/jobs/computeHost';
import { TEST_ENTRY, writeInputFile } from './computeHarness';
import type { DigestResult } from './fixtures/digestJob';

const PARENT_PORT_ENTRY = path.join(path.dirname(TEST_ENTRY), 'parentPortComputeEntry.ts');

/** A channel that accepts only messages the child sent through its parentPort. */
function parentPortChannel(): ComputeChannel {
  const child = fork(PARENT_PORT_ENTRY, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  return {
    send: (msg) => child.send(msg),
    onMessage: (cb) =>
      child.on('message', (raw: unknown) => {
        const wrapped = raw as { viaParentPort?: boolean; msg?: unknown };
        if (wrapped.viaParentPort === true) cb(wrapped.msg);
      }),
    onExit: (cb) => child.once('exit', (code, signal) => cb(code, signal)),
    kill: () => child.kill(),
  };
}

describe('compute runtime under a utilityProcess-style parentPort', () => {
  let host: ComputeHost | undefined;
  let tmp: string | undefined;
  afterEach(() => {
    host?.dispose();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('talks through process.parentPort when it exists', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-port-'));
    const input = path.join(tmp, 'in.bin');
    const expected = writeInputFile(input, 100_000);
    host = new ComputeHost(parentPortChannel);
    const progress: number[] = [];
    const result = (await host.start(1, 'digest', { path: input, chunkSize: 10_000 }, (p) => progress.push(p.done))) as DigestResult;
    expect(result.sha256).toBe(expected.sha256);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
