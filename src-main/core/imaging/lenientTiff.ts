// Tags whose values libtiff refuses when they fall outside the TIFF specification, although they
// do not change the pixels: tifffile writes ResolutionUnit 4 (mm) and 5 (µm), some writers an
// Orientation of 0. libvips then fails the whole page ("Bad value 5 for "ResolutionUnit" tag").
// The probe has already read what these tags mean (pixelSize.ts), so for libvips they can be set
// to a valid value in a copy of the file held in memory: the fallback for pages that
// Micra Studio's own strip reader does not cover (see sourceDecoder).
import { open } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from './importError';
import { TiffFile, type IfdEntry } from './tiffIfd';
import { probeTiff, type TiffProbe } from './tiffProbe';

interface HarmlessTag {
  name: string;
  /** Whether a value is one libtiff accepts. */
  valid: (v: number) => boolean;
  /** The valid value written in its place (meaning "not said"). */
  neutral: number;
}

export const HARMLESS_TAGS: ReadonlyMap<number, HarmlessTag> = new Map([
  [274, { name: 'Orientation', valid: (v) => v >= 1 && v <= 8, neutral: 1 }],
  [296, { name: 'ResolutionUnit', valid: (v) => v >= 1 && v <= 3, neutral: 1 }],
]);

/** The largest file copied into memory to correct its tags. */
export const MAX_CORRECTED_COPY_BYTES = 1024 ** 3;

export type CorrectedCopy =
  | { ok: true; bytes: Buffer; corrected: string[] }
  | { ok: false; why: string };

/** Sets every value of `entry` (SHORT or LONG) that libtiff would refuse to the rule's neutral one. */
function correctEntry(file: Buffer, tiff: TiffFile, entry: IfdEntry, rule: HarmlessTag): boolean {
  if (entry.type !== 3 && entry.type !== 4) return false;
  if (entry.valueOffset + entry.byteLength > file.length) return false;
  const values = tiff.values(entry, file, entry.valueOffset);
  const size = entry.type === 3 ? 2 : 4;
  const le = tiff.header.littleEndian;
  let changed = false;
  values.forEach((v, i) => {
    if (rule.valid(v)) return;
    const at = entry.valueOffset + i * size;
    if (size === 2 && le) file.writeUInt16LE(rule.neutral, at);
    else if (size === 2) file.writeUInt16BE(rule.neutral, at);
    else if (le) file.writeUInt32LE(rule.neutral, at);
    else file.writeUInt32BE(rule.neutral, at);
    changed = true;
  });
  return changed;
}

/**
 * The probed file in memory with the out-of-spec values of harmless tags in the probed page's
 * directory set to valid ones; `ok: false` says why there is none (too large, nothing to correct).
 */
export async function correctedCopy(probe: TiffProbe, maxBytes = MAX_CORRECTED_COPY_BYTES): Promise<CorrectedCopy> {
  const name = `"${path.basename(probe.path)}"`;
  if (probe.fileSize > maxBytes)
    return { ok: false, why: `a corrected copy of ${name} would need ${formatBytes(probe.fileSize)} of memory (the limit is ${formatBytes(maxBytes)})` };
  const fh = await open(probe.path, 'r');
  try {
    const tiff = await TiffFile.open(fh, probe.fileSize, name);
    const pages = await tiff.pageOffsets(name);
    const entries = await tiff.entries(pages[probe.page] ?? 0, name, new Set(HARMLESS_TAGS.keys()));
    const file = Buffer.allocUnsafe(probe.fileSize);
    const { bytesRead } = await fh.read(file, 0, probe.fileSize, 0);
    if (bytesRead < probe.fileSize) return { ok: false, why: `${name} became shorter during the import` };
    const corrected = entries.filter((e) => correctEntry(file, tiff, e, HARMLESS_TAGS.get(e.tag)!)).map((e) => HARMLESS_TAGS.get(e.tag)!.name);
    if (corrected.length === 0) return { ok: false, why: `${name} has no out-of-spec tag value that Micra Studio knows to be harmless` };
    return { ok: true, bytes: file, corrected };
  } finally {
    await fh.close();
  }
}

/**
 * The corrected copy of `file`'s first page (see correctedCopy), or null when the file cannot be
 * probed or needs no correction. For readers outside the import (e.g. `micra maps`) that retry
 * with it when libvips refuses the file.
 */
export async function correctedCopyOfFile(file: string): Promise<Buffer | null> {
  const probe = await probeTiff(file).catch(() => null);
  const copy = probe ? await correctedCopy(probe) : null;
  return copy?.ok ? copy.bytes : null;
}
