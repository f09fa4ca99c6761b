// A label image as a compressed TIFF: object k (1-based, in the order given) paints its mask
// pixels with k, 0 is background, a later object paints over an earlier one where they overlap.
// 16-bit while the labels fit, 32-bit beyond 65,535 objects. Strips are deflate-compressed
// (Compression 8, the Adobe Deflate every TIFF reader knows; label images are long runs, so a
// 10,240² image of a few hundred objects is kilobytes instead of 210 MB) and built one at a time,
// so the full-size label raster never exists in memory. The pixel size goes in XResolution /
// YResolution (pixels per centimetre) with ResolutionUnit 3 (centimetre), the standard tags
// libvips, tifffile, ImageJ/Fiji and our own probe read.
//
// Layout: header, IFD with its out-of-line values, then the strips (so the whole file can be
// streamed front to back once the strips are compressed).
import { deflateSync } from 'node:zlib';
import type { MaskRegion } from '../review/maskRegion';

export interface LabelTiffInput {
  width: number;
  height: number;
  /** nm per pixel; null leaves the resolution tags out. */
  pixelSizeNm: number | null;
  /** Label k + 1 is regions[k]. */
  regions: readonly MaskRegion[];
}

/** Uncompressed bytes per strip: small enough to keep memory flat, large enough to compress well. */
const STRIP_BYTES = 256 * 1024;
const MAX_CLASSIC_TIFF = 2 ** 32 - 1;

const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const ASCII = 2;
const TYPE_BYTES: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 8 };

type Entry = { tag: number; type: number; values: number[] } | { tag: number; type: typeof ASCII; text: string };

/** x as numerator / denominator of unsigned 32-bit integers, as precise as they allow. */
export function toRational(x: number): [number, number] {
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`no rational for ${x}`);
  let den = 1;
  while (den < 1e6 && Math.round(x * den * 10) <= MAX_CLASSIC_TIFF) den *= 10;
  const num = Math.round(x * den);
  if (num < 1 || num > MAX_CLASSIC_TIFF) throw new RangeError(`${x} does not fit a TIFF rational`);
  return [num, den];
}

/** The bits per label a count of objects needs. */
export function labelBits(count: number): 16 | 32 {
  if (count > MAX_CLASSIC_TIFF) throw new RangeError('too many objects for a 32-bit label image');
  return count > 0xffff ? 32 : 16;
}

function compressedStrips(input: LabelTiffInput, bits: 16 | 32, rowsPerStrip: number): Buffer[] {
  const { width, height, regions } = input;
  const strips: Buffer[] = [];
  for (let top = 0; top < height; top += rowsPerStrip) {
    const rows = Math.min(rowsPerStrip, height - top);
    const labels = bits === 16 ? new Uint16Array(width * rows) : new Uint32Array(width * rows);
    regions.forEach((r, i) => {
      const y0 = Math.max(top, r.y);
      const y1 = Math.min(top + rows, r.y + r.height);
      if (y1 <= y0) return;
      const x0 = Math.max(0, r.x);
      const x1 = Math.min(width, r.x + r.width);
      for (let y = y0; y < y1; y++) {
        const from = (y - r.y) * r.width - r.x;
        const to = (y - top) * width;
        for (let x = x0; x < x1; x++) if (r.mask[from + x]) labels[to + x] = i + 1;
      }
    });
    // Little-endian samples ('II' below): typed arrays are in the platform's order, which is
    // little-endian on every platform Node and Electron ship for.
    strips.push(deflateSync(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength)));
  }
  return strips;
}

/** The TIFF file as chunks to write or stream in order. */
export function labelTiff(input: LabelTiffInput): Buffer[] {
  const { width, height, pixelSizeNm } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`bad image size ${width}×${height}`);
  const bits = labelBits(input.regions.length);
  const rowBytes = width * (bits / 8);
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / rowBytes)));
  const strips = compressedStrips(input, bits, rowsPerStrip);

  const entries: Entry[] = [
    { tag: 256, type: LONG, values: [width] },
    { tag: 257, type: LONG, values: [height] },
    { tag: 258, type: SHORT, values: [bits] },
    { tag: 259, type: SHORT, values: [8] }, // Adobe Deflate
    { tag: 262, type: SHORT, values: [1] }, // BlackIsZero
    { tag: 273, type: LONG, values: [] }, // StripOffsets: filled below
    { tag: 277, type: SHORT, values: [1] },
    { tag: 278, type: LONG, values: [rowsPerStrip] },
    { tag: 279, type: LONG, values: strips.map((s) => s.length) },
  ];
  if (pixelSizeNm !== null && Number.isFinite(pixelSizeNm) && pixelSizeNm > 0) {
    const perCm = toRational(1e7 / pixelSizeNm);
    entries.push({ tag: 282, type: RATIONAL, values: perCm }, { tag: 283, type: RATIONAL, values: perCm });
  }
  entries.push({ tag: 284, type: SHORT, values: [1] });
  if (pixelSizeNm !== null && Number.isFinite(pixelSizeNm) && pixelSizeNm > 0) entries.push({ tag: 296, type: SHORT, values: [3] }); // centimetre
  entries.push({ tag: 305, type: ASCII, text: 'Micra Studio label image\0' });
  entries.push({ tag: 339, type: SHORT, values: [1] }); // unsigned integers

  const count = (e: Entry): number => ('text' in e ? e.text.length : e.type === RATIONAL ? e.values.length / 2 : e.values.length);
  const byteSize = (e: Entry): number => count(e) * (TYPE_BYTES[e.type] as number);
  const stripOffsets = entries.find((e) => e.tag === 273) as { values: number[] };
  stripOffsets.values = new Array<number>(strips.length).fill(0);

  const ifdAt = 8;
  const tableBytes = 2 + entries.length * 12 + 4;
  const extraBytes = entries.reduce((sum, e) => sum + (byteSize(e) > 4 ? byteSize(e) + (byteSize(e) % 2) : 0), 0);
  const dataAt = ifdAt + tableBytes + extraBytes;
  let at = dataAt;
  strips.forEach((s, i) => {
    stripOffsets.values[i] = at;
    at += s.length;
  });
  if (at > MAX_CLASSIC_TIFF) throw new RangeError('the label image is over 4 GB even compressed');

  const head = Buffer.alloc(dataAt);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(ifdAt, 4);
  head.writeUInt16LE(entries.length, ifdAt);
  let extra = ifdAt + tableBytes;
  entries.forEach((e, i) => {
    const entryAt = ifdAt + 2 + i * 12;
    head.writeUInt16LE(e.tag, entryAt);
    head.writeUInt16LE(e.type, entryAt + 2);
    head.writeUInt32LE(count(e), entryAt + 4);
    const size = byteSize(e);
    let target = entryAt + 8;
    if (size > 4) {
      head.writeUInt32LE(extra, entryAt + 8);
      target = extra;
      extra += size + (size % 2);
    }
    if ('text' in e) head.write(e.text, target, 'latin1');
    else
      e.values.forEach((v, j) => {
        if (e.type === SHORT) head.writeUInt16LE(v, target + j * 2);
        else head.writeUInt32LE(v, target + j * 4);
      });
  });
  head.writeUInt32LE(0, ifdAt + 2 + entries.length * 12); // no next IFD
  return [head, ...strips];
}
