// Shared setup for the compute integration tests: a generated input file, and a host forking
// the test compute entry under tsx.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkComputeChannel } from '../../../src-main/core/jobs/computeChannel';
import { ComputeHost } from '../../../src-main/core/jobs/computeHost';

export const TEST_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'testComputeEntry.ts');

export function makeHost(log: string[] = []): ComputeHost {
  return new ComputeHost(() => forkComputeChannel(TEST_ENTRY, ['--import', 'tsx']), { log: (m) => log.push(m) });
}

/** Writes `bytes` pseudo-random bytes (fixed seed) and returns their expected digest. */
export function writeInputFile(file: string, bytes: number, seed = 12345): { sha256: string; histogram: number[] } {
  const data = Buffer.alloc(bytes);
  let s = seed >>> 0;
  for (let i = 0; i < bytes; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  fs.writeFileSync(file, data);
  const histogram = new Array<number>(256).fill(0);
  for (const b of data) histogram[b] = (histogram[b] ?? 0) + 1;
  return { sha256: createHash('sha256').update(data).digest('hex'), histogram };
}

/** Resolves when `predicate` holds, checking whenever `subscribe`'s callback fires. */
export function waitFor<T>(subscribe: (cb: (value: T) => void) => void, predicate: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => subscribe((value) => predicate(value) && resolve(value)));
}
