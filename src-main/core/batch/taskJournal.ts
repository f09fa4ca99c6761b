// Reading a task's journal back from the job folder. It has the sweep journal's format
// (sweepJournal.ts: one JournalCrop per line, the lines a local sweep streams), but it comes
// from an untrusted folder and is merged into the project whole, so the reading is strict:
// every complete line must be a valid crop of this task's grid, inside its image, with a mask
// that fits its box, and no crop may appear twice. Only an unterminated last line is tolerated
// (the task was killed mid-write); a resumed task cuts it off before appending.
import { readFile } from 'node:fs/promises';
import { JournalCropSchema, type JournalCrop } from '../ml/sweep/sweepJournal';
import { decodeMaskRle } from '../../../src-shared/maskRle';
import { InvalidJobFolderError, type PlanImage } from './batchPlan';

export interface TaskJournal {
  crops: JournalCrop[];
  /** Bytes up to the end of the last complete line. */
  validBytes: number;
  /** Whether bytes follow the last complete line (a torn write). */
  tornTail: boolean;
}

export function isComplete(journal: TaskJournal, image: PlanImage): boolean {
  return journal.crops.length === image.cols * image.rows;
}

export async function readTaskJournal(file: string, image: PlanImage): Promise<TaskJournal> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { crops: [], validBytes: 0, tornTail: false };
    throw err;
  }
  return parseTaskJournal(bytes, image, file);
}

export function parseTaskJournal(bytes: Buffer, image: PlanImage, name = 'journal'): TaskJournal {
  const crops: JournalCrop[] = [];
  const cells = new Set<number>();
  let at = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) break;
    const fail = (why: string) => new InvalidJobFolderError(`${name}, line ${line}: ${why}`);
    let json: unknown;
    try {
      json = JSON.parse(bytes.subarray(at, end).toString('utf8'));
    } catch {
      throw fail('not JSON');
    }
    const parsed = JournalCropSchema.safeParse(json);
    if (!parsed.success) throw fail('not a sweep journal line');
    const crop = parsed.data;
    if (crop.col >= image.cols || crop.row >= image.rows) throw fail(`crop ${crop.col},${crop.row} is outside the ${image.cols}×${image.rows} grid`);
    const cell = crop.row * image.cols + crop.col;
    if (cells.has(cell)) throw fail(`crop ${crop.col},${crop.row} appears twice`);
    cells.add(cell);
    for (const r of crop.regions) {
      if (r.x + r.width > image.width || r.y + r.height > image.height) throw fail('a region lies outside the image');
      if (r.mask.width !== r.width || r.mask.height !== r.height) throw fail("a region's mask does not match its box");
      try {
        decodeMaskRle(r.mask);
      } catch (err) {
        throw fail(err instanceof Error ? err.message : String(err));
      }
    }
    crops.push(crop);
    at = end + 1;
  }
  return { crops, validBytes: at, tornTail: at < bytes.length };
}
