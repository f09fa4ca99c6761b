// The sweep journal: one JSON line per finished crop, appended by the compute process to
// `sweeps/<runId>.jsonl` in the project, read by main, which is the only database writer.
// A line is written whole before the progress report that announces it, so main can ingest
// as the sweep goes, and after a crash every complete line is still there; a torn last line
// is ignored (its crop is simply swept again on resume).
import { open } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const MaskRleSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  counts: z.array(z.number().int().nonnegative()),
});

export const JournalRegionSchema = z.object({
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  score: z.number().min(0).max(1),
  /** Row-major RLE over the box (src-shared/maskRle.ts). */
  mask: MaskRleSchema,
});
export type JournalRegion = z.infer<typeof JournalRegionSchema>;

export const JournalCropSchema = z.object({
  col: z.number().int().nonnegative(),
  row: z.number().int().nonnegative(),
  /** The class probability; null when the crop was skipped as background. */
  score: z.number().min(0).max(1).nullable(),
  regions: z.array(JournalRegionSchema),
});
export type JournalCrop = z.infer<typeof JournalCropSchema>;

export const SWEEPS_DIR = 'sweeps';

export function journalPath(projectDir: string, runId: number): string {
  return path.join(projectDir, SWEEPS_DIR, `${runId}.jsonl`);
}

/** The complete, valid lines from byte `fromOffset` on, and the offset just past the last one. */
export async function readJournal(file: string, fromOffset = 0): Promise<{ crops: JournalCrop[]; nextOffset: number }> {
  let bytes: Buffer;
  try {
    // Only the part not read yet: the journal of a large sweep is read many times as it grows.
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      bytes = Buffer.alloc(Math.max(0, size - fromOffset));
      if (bytes.length > 0) await handle.read(bytes, 0, bytes.length, fromOffset);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { crops: [], nextOffset: fromOffset };
    throw err;
  }
  const crops: JournalCrop[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) break;
    const text = bytes.subarray(at, end).toString('utf8');
    at = end + 1;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = JournalCropSchema.safeParse(json);
    if (parsed.success) crops.push(parsed.data);
  }
  return { crops, nextOffset: fromOffset + at };
}
