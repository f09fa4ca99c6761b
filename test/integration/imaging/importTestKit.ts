// Shared helpers of the imaging integration tests: a temp project, a job context, reference
// 2 × 2 means computed independently of the pyramid builder.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobContext } from '../../../src-main/core/jobs/jobContext';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RecordingContext extends JobContext {
  controller: AbortController;
  reports: { done: number; total: number; message?: string }[];
}

export function jobContext(onProgress?: (done: number, total: number) => void): RecordingContext {
  const controller = new AbortController();
  const reports: RecordingContext['reports'] = [];
  return {
    controller,
    reports,
    signal: controller.signal,
    progress(done, total, message) {
      reports.push({ done, total, ...(message === undefined ? {} : { message }) });
      onProgress?.(done, total);
    },
  };
}

/** Float 2 × 2 means (odd edges: mean of the pixels that exist), not rounded. */
export function referenceHalve(src: ArrayLike<number>, w: number, h: number, c: number): Float64Array {
  const dw = Math.ceil(w / 2);
  const dh = Math.ceil(h / 2);
  const out = new Float64Array(dw * dh * c);
  for (let y = 0; y < dh; y++)
    for (let x = 0; x < dw; x++)
      for (let k = 0; k < c; k++) {
        let sum = 0;
        let n = 0;
        for (let dy = 0; dy < 2; dy++)
          for (let dx = 0; dx < 2; dx++) {
            const sx = 2 * x + dx;
            const sy = 2 * y + dy;
            if (sx < w && sy < h) {
              sum += src[(sy * w + sx) * c + k]!;
              n++;
            }
          }
        out[(y * dw + x) * c + k] = sum / n;
      }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Every file and directory left under `dir` (relative paths). */
export function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}
