// A small hand-written TIFF writer for test data: classic and BigTIFF, little and big endian,
// strips and tiles, none/LZW/Deflate/PackBits, predictor 2, 1/8/16-bit unsigned and 32-bit float,
// grayscale/RGB/palette, several pages, descriptions, resolution and vendor tags. It covers what
// sharp's writer cannot produce (big-endian, palette, BigTIFF layouts, 16-bit predictor, ...).
import { writeFileSync } from 'node:fs';
import { COMPRESSION_CODES, applyHorizontalPredictor, compressBlock, type Compression } from './tiffEncoders';

export type Samples = Uint8Array | Uint16Array | Float32Array;

export interface TestPage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** 1-bit samples are given as 0/1 bytes. */
  bits: 1 | 8 | 16 | 32;
  samples: Samples;
  /** 256 RGB triplets (8-bit); makes a palette image (channels must be 1, bits 8). */
  palette?: Uint8Array;
  tile?: { width: number; height: number };
  rowsPerStrip?: number;
  compression?: Compression;
  predictor?: 1 | 2;
  description?: string;
  /** `unit` may lie outside the specification's 1–3 (tifffile writes 4 = mm and 5 = µm). */
  resolution?: { x: number; unit: number };
  /** Orientation (tag 274), written as given, valid or not. */
  orientation?: number;
  /** Extra ASCII tags, e.g. 34682 (FEI) or 34118 (Zeiss). */
  asciiTags?: Record<number, string>;
  subfileType?: number;
  /** Replaces numeric tag values after layout, to make damaged files (wrong offsets, absurd sizes). */
  overrideTags?: Record<number, number[]>;
}

export interface TiffFileOptions {
  littleEndian?: boolean;
  bigTiff?: boolean;
}

interface Entry {
  tag: number;
  type: 2 | 3 | 4 | 5 | 16;
  values: number[] | string;
}

const TYPE_SIZE = { 2: 1, 3: 2, 4: 4, 5: 8, 16: 8 } as const;

class ByteSink {
  readonly chunks: Buffer[] = [];
  pos = 0;
  constructor(readonly le: boolean) {}
  push(buf: Uint8Array): number {
    const at = this.pos;
    this.chunks.push(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
    this.pos += buf.byteLength;
    if (this.pos % 2) this.push(new Uint8Array(1)); // keep word alignment
    return at;
  }
}

function blockSamples(page: TestPage, x0: number, y0: number, bw: number, bh: number): Samples {
  const c = page.channels;
  const Ctor = page.samples.constructor as new (n: number) => Samples;
  const out = new Ctor(bw * bh * c); // zero padding for edge tiles
  for (let y = 0; y < bh && y0 + y < page.height; y++) {
    const w = Math.min(bw, page.width - x0);
    const src = ((y0 + y) * page.width + x0) * c;
    out.set(page.samples.subarray(src, src + w * c), y * bw * c);
  }
  return out;
}

function serialise(samples: Samples, bits: number, bw: number, bh: number, channels: number, le: boolean): Uint8Array {
  if (bits === 1) {
    const rowBytes = Math.ceil(bw / 8);
    const out = new Uint8Array(rowBytes * bh);
    for (let y = 0; y < bh; y++)
      for (let x = 0; x < bw; x++) if (samples[y * bw + x]) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    return out;
  }
  if (bits === 8) return samples as Uint8Array;
  const bytes = bits / 8;
  const buf = Buffer.alloc(samples.length * bytes);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] ?? 0;
    if (bits === 16) { if (le) buf.writeUInt16LE(v, i * 2); else buf.writeUInt16BE(v, i * 2); }
    else { if (le) buf.writeFloatLE(v, i * 4); else buf.writeFloatBE(v, i * 4); }
  }
  void channels;
  return buf;
}

function writeEntries(entries: Entry[], at: number, next: number, le: boolean, big: boolean): Buffer {
  entries.sort((a, b) => a.tag - b.tag);
  const head = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const inlineCap = big ? 8 : 4;
  const tableSize = head + entries.length * entrySize + (big ? 8 : 4);
  const payloads: Buffer[] = [];
  let extraPos = at + tableSize;
  const table = Buffer.alloc(tableSize);
  const u16 = (b: Buffer, v: number, o: number): void => void (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const u32 = (b: Buffer, v: number, o: number): void => void (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const u64 = (b: Buffer, v: number, o: number): void => void (le ? b.writeBigUInt64LE(BigInt(v), o) : b.writeBigUInt64BE(BigInt(v), o));
  { if (big) u64(table, entries.length, 0); else u16(table, entries.length, 0); }
  entries.forEach((e, i) => {
    const o = head + i * entrySize;
    const data =
      typeof e.values === 'string'
        ? Buffer.concat([Buffer.from(e.values, 'utf8'), Buffer.alloc(1)])
        : (() => {
            const vals = e.values;
            const b = Buffer.alloc(vals.length * TYPE_SIZE[e.type]);
            vals.forEach((v, j) => {
              if (e.type === 3) u16(b, v, j * 2);
              else if (e.type === 4) u32(b, v, j * 4);
              else if (e.type === 16) u64(b, v, j * 8);
              else { u32(b, Math.round(v * 10000), j * 8); u32(b, 10000, j * 8 + 4); }
            });
            return b;
          })();
    const count = typeof e.values === 'string' ? data.length : e.values.length;
    u16(table, e.tag, o);
    u16(table, e.type, o + 2);
    { if (big) u64(table, count, o + 4); else u32(table, count, o + 4); }
    const valuePos = o + (big ? 12 : 8);
    if (data.length <= inlineCap) data.copy(table, valuePos);
    else {
      { if (big) u64(table, extraPos, valuePos); else u32(table, extraPos, valuePos); }
      const padded = data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
      payloads.push(padded);
      extraPos += padded.length;
    }
  });
  { if (big) u64(table, next, tableSize - 8); else u32(table, next, tableSize - 4); }
  return Buffer.concat([table, ...payloads]);
}

function pageEntries(page: TestPage, offsets: number[], counts: number[], big: boolean): Entry[] {
  const c = page.channels;
  const off: Entry['type'] = big ? 16 : 4;
  const photometric = page.palette ? 3 : c === 3 ? 2 : 1;
  const entries: Entry[] = [
    { tag: 256, type: 4, values: [page.width] },
    { tag: 257, type: 4, values: [page.height] },
    { tag: 258, type: 3, values: new Array<number>(c).fill(page.bits) },
    { tag: 259, type: 3, values: [COMPRESSION_CODES[page.compression ?? 'none']] },
    { tag: 262, type: 3, values: [photometric] },
    { tag: 277, type: 3, values: [c] },
    { tag: 284, type: 3, values: [1] },
    { tag: 339, type: 3, values: new Array<number>(c).fill(page.bits === 32 ? 3 : 1) },
  ];
  if (page.tile) {
    entries.push({ tag: 322, type: 4, values: [page.tile.width] }, { tag: 323, type: 4, values: [page.tile.height] });
    entries.push({ tag: 324, type: off, values: offsets }, { tag: 325, type: off, values: counts });
  } else {
    entries.push({ tag: 273, type: off, values: offsets }, { tag: 279, type: off, values: counts });
    entries.push({ tag: 278, type: 4, values: [Math.min(page.rowsPerStrip ?? page.height, page.height)] });
  }
  if (page.subfileType !== undefined) entries.push({ tag: 254, type: 4, values: [page.subfileType] });
  if ((page.predictor ?? 1) !== 1) entries.push({ tag: 317, type: 3, values: [page.predictor ?? 1] });
  if (page.description !== undefined) entries.push({ tag: 270, type: 2, values: page.description });
  if (page.resolution) {
    entries.push({ tag: 282, type: 5, values: [page.resolution.x] }, { tag: 283, type: 5, values: [page.resolution.x] });
    entries.push({ tag: 296, type: 3, values: [page.resolution.unit] });
  }
  if (page.orientation !== undefined) entries.push({ tag: 274, type: 3, values: [page.orientation] });
  if (page.palette) {
    const map: number[] = [];
    for (let ch = 0; ch < 3; ch++) for (let i = 0; i < 256; i++) map.push((page.palette[i * 3 + ch] ?? 0) * 257);
    entries.push({ tag: 320, type: 3, values: map });
  }
  for (const [tag, value] of Object.entries(page.asciiTags ?? {})) entries.push({ tag: Number(tag), type: 2, values: value });
  for (const [tag, values] of Object.entries(page.overrideTags ?? {})) {
    const entry = entries.find((e) => e.tag === Number(tag));
    if (entry) entry.values = values;
    else entries.push({ tag: Number(tag), type: 4, values });
  }
  return entries;
}

/** Encodes the pages into TIFF bytes. */
export function encodeTestTiff(pages: TestPage[], options: TiffFileOptions = {}): Buffer {
  const le = options.littleEndian ?? true;
  const big = options.bigTiff ?? false;
  const sink = new ByteSink(le);
  const header = Buffer.alloc(big ? 16 : 8);
  header.write(le ? 'II' : 'MM', 0, 'latin1');
  sink.push(header);
  const perPage = pages.map((page) => {
    const c = page.channels;
    const bw = page.tile?.width ?? page.width;
    const bh = page.tile?.height ?? Math.min(page.rowsPerStrip ?? page.height, page.height);
    const offsets: number[] = [];
    const counts: number[] = [];
    for (let y0 = 0; y0 < page.height; y0 += bh)
      for (let x0 = 0; x0 < page.width; x0 += bw) {
        const rows = page.tile ? bh : Math.min(bh, page.height - y0);
        const block = blockSamples(page, x0, y0, bw, rows);
        if ((page.predictor ?? 1) === 2 && !(block instanceof Float32Array)) applyHorizontalPredictor(block, bw, rows, c);
        const raw = serialise(block, page.bits, bw, rows, c, le);
        const rowBytes = page.bits === 1 ? Math.ceil(bw / 8) : (bw * c * page.bits) / 8;
        const packed = compressBlock(raw, page.compression ?? 'none', rowBytes);
        offsets.push(sink.push(packed));
        counts.push(packed.byteLength);
      }
    return pageEntries(page, offsets, counts, big);
  });
  // Directories go after all pixel data; each knows where the next one starts.
  const firstIfd = sink.pos;
  let at = firstIfd;
  perPage.forEach((entries, i) => {
    const size = writeEntries([...entries], at, 0, le, big).length;
    const next = i < perPage.length - 1 ? at + size + (size % 2) : 0;
    const ifd = writeEntries(entries, at, next, le, big);
    sink.push(ifd);
    at = sink.pos;
  });
  const out = Buffer.concat(sink.chunks);
  if (big) {
    { if (le) out.writeUInt16LE(43, 2); else out.writeUInt16BE(43, 2); }
    { if (le) out.writeUInt16LE(8, 4); else out.writeUInt16BE(8, 4); }
    { if (le) out.writeBigUInt64LE(BigInt(firstIfd), 8); else out.writeBigUInt64BE(BigInt(firstIfd), 8); }
  } else {
    { if (le) out.writeUInt16LE(42, 2); else out.writeUInt16BE(42, 2); }
    { if (le) out.writeUInt32LE(firstIfd, 4); else out.writeUInt32BE(firstIfd, 4); }
  }
  return out;
}

export function writeTestTiff(filePath: string, pages: TestPage[], options: TiffFileOptions = {}): void {
  writeFileSync(filePath, encodeTestTiff(pages, options));
}
