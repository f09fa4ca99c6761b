// A minimal TIFF/BigTIFF directory reader that reads only the header and IFD bytes through
// positional reads, so probing a 10 GB BigTIFF touches a few kilobytes. utif needs the whole
// file in memory and knows no BigTIFF, hence this reader.
import type { FileHandle } from 'node:fs/promises';
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

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfdOffset: number;
}

/** Byte size of each TIFF field type (0 = unknown type). */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/** Tags whose values the probe needs; others are skipped without reading their data. */
const WANTED_TAGS = new Set([
  254, 256, 257, 258, 259, 262, 270, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320, 322, 323, 324, 325, 338, 339,
  34118, 34682,
]);
/** ColorMap presence matters, its 768 values do not. */
const PRESENCE_ONLY_TAGS = new Set([320]);
const MAX_TAG_BYTES = 64 * 1024 * 1024;
const MAX_PAGES = 100_000;

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
    const order = head.toString('latin1', 0, 2);
    if (bytesRead < 8 || (order !== 'II' && order !== 'MM'))
      throw new ImageImportError('not-tiff', `${name} is not a TIFF file (it does not start with a TIFF header).`);
    const le = order === 'II';
    const version = le ? head.readUInt16LE(2) : head.readUInt16BE(2);
    let header: TiffHeader;
    if (version === 42) {
      header = { littleEndian: le, bigTiff: false, firstIfdOffset: le ? head.readUInt32LE(4) : head.readUInt32BE(4) };
    } else if (version === 43 && bytesRead >= 16) {
      const first = le ? head.readBigUInt64LE(8) : head.readBigUInt64BE(8);
      header = { littleEndian: le, bigTiff: true, firstIfdOffset: Number(first) };
    } else {
      throw new ImageImportError('not-tiff', `${name} is not a TIFF file (unknown TIFF version ${version}).`);
    }
    const file = new TiffFile(fh, fileSize, header);
    file.checkIfdOffset(header.firstIfdOffset, name, 0);
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

  private num(buf: Buffer, pos: number, type: number): number {
    const le = this.header.littleEndian;
    switch (type) {
      case 1: case 2: case 7: return buf.readUInt8(pos);
      case 6: return buf.readInt8(pos);
      case 3: return le ? buf.readUInt16LE(pos) : buf.readUInt16BE(pos);
      case 8: return le ? buf.readInt16LE(pos) : buf.readInt16BE(pos);
      case 4: case 13: return le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      case 9: return le ? buf.readInt32LE(pos) : buf.readInt32BE(pos);
      case 11: return le ? buf.readFloatLE(pos) : buf.readFloatBE(pos);
      case 12: return le ? buf.readDoubleLE(pos) : buf.readDoubleBE(pos);
      case 16: case 18: return Number(le ? buf.readBigUInt64LE(pos) : buf.readBigUInt64BE(pos));
      case 17: return Number(le ? buf.readBigInt64LE(pos) : buf.readBigInt64BE(pos));
      case 5: {
        const n = this.num(buf, pos, 4);
        const d = this.num(buf, pos + 4, 4);
        return d === 0 ? 0 : n / d;
      }
      case 10: {
        const n = this.num(buf, pos, 9);
        const d = this.num(buf, pos + 4, 9);
        return d === 0 ? 0 : n / d;
      }
      default: return 0;
    }
  }

  /** Offsets of every image directory (page), following the chain with loop protection. */
  async pageOffsets(name: string): Promise<number[]> {
    const offsets: number[] = [];
    const seen = new Set<number>();
    let offset = this.header.firstIfdOffset;
    const big = this.header.bigTiff;
    while (offset !== 0 && !seen.has(offset) && offsets.length < MAX_PAGES) {
      this.checkIfdOffset(offset, name, offsets.length);
      seen.add(offset);
      offsets.push(offset);
      const countBuf = await this.readBytes(offset, big ? 8 : 2, name);
      const count = this.num(countBuf, 0, big ? 16 : 3);
      const nextPos = offset + (big ? 8 : 2) + count * (big ? 20 : 12);
      this.metadata.push({ start: offset, end: nextPos + (big ? 8 : 4), what: `image directory ${offsets.length}` });
      if (nextPos + (big ? 8 : 4) > this.fileSize) break; // a damaged chain ends here; page 1 is still checked fully
      const nextBuf = await this.readBytes(nextPos, big ? 8 : 4, name);
      offset = this.num(nextBuf, 0, big ? 16 : 4);
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
    const count = this.num(countBuf, 0, big ? 16 : 3);
    if (count === 0 || count > 10_000)
      throw new ImageImportError('truncated', `${name} is damaged: its image directory declares ${count} entries.`);
    const entrySize = big ? 20 : 12;
    const tableAt = offset + (big ? 8 : 2);
    const table = await this.readBytes(tableAt, count * entrySize, name);
    const found: IfdEntry[] = [];
    for (let i = 0; i < count; i++) {
      const at = i * entrySize;
      const tag = this.num(table, at, 3);
      if (!only.has(tag)) continue;
      const type = this.num(table, at + 2, 3);
      const n = big ? this.num(table, at + 4, 16) : this.num(table, at + 4, 4);
      const size = TYPE_SIZES[type] ?? 0;
      if (size === 0 || n === 0) continue;
      const valuePos = at + (big ? 12 : 8);
      const inline = n * size <= (big ? 8 : 4);
      const valueOffset = inline ? tableAt + valuePos : big ? this.num(table, valuePos, 16) : this.num(table, valuePos, 4);
      if (!inline) this.metadata.push({ start: valueOffset, end: valueOffset + n * size, what: `the values of tag ${tag}` });
      found.push({ tag, type, count: n, byteLength: n * size, valueOffset, inline: inline ? table.subarray(valuePos, valuePos + n * size) : null });
    }
    return found;
  }

  /** Numeric values of an entry, `buf` holding them from `base`. */
  values(entry: IfdEntry, buf: Buffer, base: number): number[] {
    const size = TYPE_SIZES[entry.type] ?? 0;
    const values = new Array<number>(entry.count);
    for (let j = 0; j < entry.count; j++) values[j] = this.num(buf, base + j * size, entry.type);
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
