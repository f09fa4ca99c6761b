// The TIFF/BigTIFF structure walk, shared by the import's probe (core/imaging/tiffIfd.ts, through a
// Node file handle) and the renderer's page count of a dropped file (src-renderer/lib/
// tiffPageCount.ts, through Blob slices): the header, field values, the directory chain and the
// entries of a directory, read from DataViews so that neither side needs the whole file (a
// microscopy TIFF can be many gigabytes; the walk reads a few hundred bytes a page). Each side
// brings its own reads and its own answer to damage: the probe names what is wrong, the renderer
// answers "unknown" and leaves the judgement to the import.

/** As many pages as either side follows. */
export const MAX_TIFF_PAGES = 100_000;
/** NewSubfileType: bit 0 set marks a reduced-resolution copy of another page. */
export const NEW_SUBFILE_TYPE = 254;

/** Byte size of each TIFF field type (absent = unknown type). */
export const TIFF_TYPE_SIZES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfdOffset: number;
}

/** The header, or why the bytes are not one: no byte-order mark, or a version that is not 42 (classic) or 43 (BigTIFF). */
export type TiffHeaderResult = { ok: true; header: TiffHeader } | { ok: false; version: number | null };

/** Parses the first bytes of a file (16 are enough for BigTIFF, 8 for classic). */
export function parseTiffHeader(head: DataView): TiffHeaderResult {
  if (head.byteLength < 8) return { ok: false, version: null };
  const order = head.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) return { ok: false, version: null };
  const littleEndian = order === 0x4949;
  const version = head.getUint16(2, littleEndian);
  if (version === 42) return { ok: true, header: { littleEndian, bigTiff: false, firstIfdOffset: head.getUint32(4, littleEndian) } };
  if (version === 43 && head.byteLength >= 16) {
    return { ok: true, header: { littleEndian, bigTiff: true, firstIfdOffset: Number(head.getBigUint64(8, littleEndian)) } };
  }
  return { ok: false, version };
}

/** Sizes of a directory's parts: the entry count, each entry, the pointer to the next directory. */
export function ifdLayout(bigTiff: boolean): { countSize: 2 | 8; entrySize: 12 | 20; nextSize: 4 | 8 } {
  return bigTiff ? { countSize: 8, entrySize: 20, nextSize: 8 } : { countSize: 2, entrySize: 12, nextSize: 4 };
}

/** One value of field type `type` at `pos` (rationals as their quotient, 0 for an unknown type). */
export function tiffValue(view: DataView, pos: number, type: number, le: boolean): number {
  switch (type) {
    case 1: case 2: case 7: return view.getUint8(pos);
    case 6: return view.getInt8(pos);
    case 3: return view.getUint16(pos, le);
    case 8: return view.getInt16(pos, le);
    case 4: case 13: return view.getUint32(pos, le);
    case 9: return view.getInt32(pos, le);
    case 11: return view.getFloat32(pos, le);
    case 12: return view.getFloat64(pos, le);
    case 16: case 18: return Number(view.getBigUint64(pos, le));
    case 17: return Number(view.getBigInt64(pos, le));
    case 5: case 10: {
      const word = type === 5 ? 4 : 9;
      const n = tiffValue(view, pos, word, le);
      const d = tiffValue(view, pos + 4, word, le);
      return d === 0 ? 0 : n / d;
    }
    default: return 0;
  }
}

/** One directory of the chain: where it is, how many entries it declares and where it ends (next pointer included). */
export interface IfdDirectory {
  offset: number;
  /** 0-based position in the chain. */
  index: number;
  count: number;
  /** File offset of the entry table. */
  tableAt: number;
  /** Exclusive end of the directory, its next-directory pointer included. */
  end: number;
}

export interface IfdChainReads {
  /** Called before each directory is read; may throw to refuse an offset. */
  directory?(offset: number, index: number): void;
  /** `length` bytes at `offset` of the file; null ends the chain there (a damaged chain ends, it does not loop). May throw. */
  read(offset: number, length: number, part: 'count' | 'next'): Promise<DataView | null>;
}

/**
 * Follows the directory chain from the header, loop-protected and bounded by MAX_TIFF_PAGES,
 * yielding each directory once its entry count is known. A consumer that stops early (a damaged
 * directory it will not trust) reads nothing further.
 */
export async function* ifdChain(header: TiffHeader, reads: IfdChainReads): AsyncGenerator<IfdDirectory> {
  const { countSize, entrySize, nextSize } = ifdLayout(header.bigTiff);
  const le = header.littleEndian;
  const seen = new Set<number>();
  let offset = header.firstIfdOffset;
  while (offset !== 0 && !seen.has(offset) && seen.size < MAX_TIFF_PAGES) {
    const index = seen.size;
    reads.directory?.(offset, index);
    seen.add(offset);
    const countView = await reads.read(offset, countSize, 'count');
    if (!countView) return;
    const count = tiffValue(countView, 0, header.bigTiff ? 16 : 3, le);
    const tableAt = offset + countSize;
    const nextAt = tableAt + count * entrySize;
    yield { offset, index, count, tableAt, end: nextAt + nextSize };
    const next = await reads.read(nextAt, nextSize, 'next');
    if (!next) return;
    offset = tiffValue(next, 0, header.bigTiff ? 16 : 4, le);
  }
}

/** One entry of a directory and where its values lie in the file. */
export interface IfdEntryPlace {
  tag: number;
  type: number;
  count: number;
  byteLength: number;
  /** File offset of the values (for inline values: inside the entry itself). */
  valueOffset: number;
  /** Where inline values start in the entry table, null when they lie elsewhere in the file. */
  inlineAt: number | null;
}

/** The entries of a directory's table (read from `tableAt`) whose tags are in `only`, skipping unknown types and empty ones. */
export function ifdEntries(table: DataView, count: number, tableAt: number, header: TiffHeader, only: ReadonlySet<number>): IfdEntryPlace[] {
  const big = header.bigTiff;
  const le = header.littleEndian;
  const { entrySize } = ifdLayout(big);
  const found: IfdEntryPlace[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    const tag = table.getUint16(at, le);
    if (!only.has(tag)) continue;
    const type = table.getUint16(at + 2, le);
    const n = big ? tiffValue(table, at + 4, 16, le) : table.getUint32(at + 4, le);
    const size = TIFF_TYPE_SIZES[type] ?? 0;
    if (size === 0 || n === 0) continue;
    const valuePos = at + (big ? 12 : 8);
    const inline = n * size <= (big ? 8 : 4);
    const valueOffset = inline ? tableAt + valuePos : tiffValue(table, valuePos, big ? 16 : 4, le);
    found.push({ tag, type, count: n, byteLength: n * size, valueOffset, inlineAt: inline ? valuePos : null });
  }
  return found;
}

/** Whether a page is a full image: a lone page always is, others unless NewSubfileType marks them reduced-resolution. */
export function isImagePage(newSubfileType: number, pageCount: number): boolean {
  return pageCount === 1 || (newSubfileType & 1) === 0;
}
