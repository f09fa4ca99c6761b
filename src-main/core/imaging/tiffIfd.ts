// A minimal TIFF/BigTIFF directory reader that reads only the header and IFD bytes through
// positional reads, so probing a 10 GB BigTIFF touches a few kilobytes. utif needs the whole
// file in memory and knows no BigTIFF, hence this reader. The walk itself (header, field values,
// directory chain, entry tables) is src-shared/tiffIfd.ts, which the renderer's page count uses
// too; this file brings the file handle and names what is wrong with a damaged file.
import type { FileHandle } from 'node:fs/promises';
import { ifdChain, ifdEntries, parseTiffHeader, TIFF_TYPE_SIZES, tiffValue, type TiffHeader } from '../../../src-shared/tiffIfd';
import { ImageImportError, formatBytes } from './importError';

export type TagValue = number[] | string;
export type IfdTags = Map<number, TagValue>;

/** One directory entry and where its values lie in the file. */
export interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  byteLength: number;
  /** File offset of the values (for inline values: inside the entry itself). */
  valueOffset: number;
  /** The values' bytes when they are inline (already read with the directory). */
  inline: Buffer | null;
}

/** Bytes of the file that hold its structure (header, directories, tag values), not pixels. */
export interface MetadataRange {
  start: number;
  /** Exclusive. */
  end: number;
  what: string;
}

/** Tags whose values the probe needs; others are skipped without reading their data. */
const WANTED_TAGS = new Set([
  254, 256, 257, 258, 259, 262, 270, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320, 322, 323, 324, 325, 338, 339,
  34118, 34682,
]);
/** ColorMap presence matters, its 768 values do not. */
const PRESENCE_ONLY_TAGS = new Set([320]);
const MAX_TAG_BYTES = 64 * 1024 * 1024;

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

export class TiffFile {
  /**
   * Every metadata byte range read so far: the header, each directory and the out-of-line values
   * of the tags read. Pixel data that points into them is the file's own structure (tiffProbe).
   */
  readonly metadata: MetadataRange[];

  private constructor(
    private readonly fh: FileHandle,
    readonly fileSize: number,
    readonly header: TiffHeader,
  ) {
    this.metadata = [{ start: 0, end: header.bigTiff ? 16 : 8, what: 'the TIFF header' }];
  }

  static async open(fh: FileHandle, fileSize: number, name: string): Promise<TiffFile> {
    if (fileSize === 0) throw new ImageImportError('empty-file', `${name} is empty (0 bytes).`);
    const head = Buffer.alloc(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    const parsed = parseTiffHeader(viewOf(head.subarray(0, bytesRead)));
    if (!parsed.ok && parsed.version === null)
      throw new ImageImportError('not-tiff', `${name} is not a TIFF file (it does not start with a TIFF header).`);
    if (!parsed.ok) throw new ImageImportError('not-tiff', `${name} is not a TIFF file (unknown TIFF version ${parsed.version}).`);
    const file = new TiffFile(fh, fileSize, parsed.header);
    file.checkIfdOffset(parsed.header.firstIfdOffset, name, 0);
    return file;
  }

  private checkIfdOffset(offset: number, name: string, page: number): void {
    if (offset < 8 || offset >= this.fileSize)
      throw new ImageImportError(
        'truncated',
        `${name} is truncated or damaged: image directory ${page + 1} is declared at byte ${offset}, but the file has ${formatBytes(this.fileSize)}.`,
      );
  }

  private async readBytes(offset: number, length: number, name: string): Promise<Buffer> {
    if (offset + length > this.fileSize)
      throw new ImageImportError(
        'truncated',
        `${name} is truncated: metadata at bytes ${offset}–${offset + length} lies beyond the end of the file (${formatBytes(this.fileSize)}).`,
      );
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.fh.read(buf, 0, length, offset);
    if (bytesRead < length) throw new ImageImportError('truncated', `${name} is truncated (short read at byte ${offset}).`);
    return buf;
  }

  /** Offsets of every image directory (page), following the chain with loop protection. */
  async pageOffsets(name: string): Promise<number[]> {
    const offsets: number[] = [];
    const chain = ifdChain(this.header, {
      directory: (offset, index) => this.checkIfdOffset(offset, name, index),
      read: async (offset, length, part) => {
        // A next pointer beyond the file ends a damaged chain; page 1 is still checked fully.
        if (part === 'next' && offset + length > this.fileSize) return null;
        return viewOf(await this.readBytes(offset, length, name));
      },
    });
    for await (const dir of chain) {
      offsets.push(dir.offset);
      this.metadata.push({ start: dir.offset, end: dir.end, what: `image directory ${offsets.length}` });
    }
    return offsets;
  }

  /**
   * The entries of the directory at `offset` whose tags are in `only`, with where their values
   * lie in the file. Inline values are also handed over with the bytes already read (`inline`).
   */
  async entries(offset: number, name: string, only: ReadonlySet<number>): Promise<IfdEntry[]> {
    const big = this.header.bigTiff;
    const countBuf = await this.readBytes(offset, big ? 8 : 2, name);
    const count = tiffValue(viewOf(countBuf), 0, big ? 16 : 3, this.header.littleEndian);
    if (count === 0 || count > 10_000)
      throw new ImageImportError('truncated', `${name} is damaged: its image directory declares ${count} entries.`);
    const tableAt = offset + (big ? 8 : 2);
    const table = await this.readBytes(tableAt, count * (big ? 20 : 12), name);
    return ifdEntries(viewOf(table), count, tableAt, this.header, only).map(({ inlineAt, ...entry }) => {
      if (inlineAt === null) this.metadata.push({ start: entry.valueOffset, end: entry.valueOffset + entry.byteLength, what: `the values of tag ${entry.tag}` });
      return { ...entry, inline: inlineAt === null ? null : table.subarray(inlineAt, inlineAt + entry.byteLength) };
    });
  }

  /** Numeric values of an entry, `buf` holding them from `base`. */
  values(entry: IfdEntry, buf: Buffer, base: number): number[] {
    const size = TIFF_TYPE_SIZES[entry.type] ?? 0;
    const view = viewOf(buf);
    const values = new Array<number>(entry.count);
    for (let j = 0; j < entry.count; j++) values[j] = tiffValue(view, base + j * size, entry.type, this.header.littleEndian);
    return values;
  }

  /** Reads the tags of the directory at `offset` that the probe needs. */
  async readTags(offset: number, name: string, only: ReadonlySet<number> = WANTED_TAGS): Promise<IfdTags> {
    const tags: IfdTags = new Map();
    for (const entry of await this.entries(offset, name, only)) {
      if (PRESENCE_ONLY_TAGS.has(entry.tag)) {
        tags.set(entry.tag, [entry.count]);
        continue;
      }
      if (entry.byteLength > MAX_TAG_BYTES)
        throw new ImageImportError('bad-offsets', `${name} is damaged: tag ${entry.tag} declares ${formatBytes(entry.byteLength)} of values.`);
      const data = entry.inline ?? (await this.readBytes(entry.valueOffset, entry.byteLength, name));
      if (entry.type === 2) tags.set(entry.tag, data.toString('utf8', 0, entry.byteLength).replace(/\0+$/, ''));
      else tags.set(entry.tag, this.values(entry, data, 0));
    }
    return tags;
  }
}
