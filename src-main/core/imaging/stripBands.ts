// Random access to the rows of a striped TIFF. libvips reads strips in order: asking it for rows
// near the bottom of an LZW file decodes every strip above them first, so decoding a page in
// bands costs time quadratic in its height. Instead, for a band we read just the strips that
// cover it and hand libvips a small TIFF made of those strips and a directory describing them:
// each band then costs only its own strips, and two bands can decode at once on two cores.
// Layouts this does not cover (tiles, planar, JPEG, palette, 1-bit) go through libvips directly.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ImageImportError } from './importError';
import { samplesFromBytes, type Samples } from './raster';
import type { TiffProbe } from './tiffProbe';

const DIRECT_COMPRESSIONS = new Set([1, 5, 8, 32946, 32773]);

/**
 * Whether cutStrips handles the page's layout, however many strips it has. The TIFF it builds
 * carries only the tags that define the pixels, so it is also the clean view of a page whose
 * other tags libvips refuses (see sourceDecoder).
 */
export function stripsCuttable(probe: TiffProbe): boolean {
  return (
    !probe.tiled && probe.planarConfig === 1 && DIRECT_COMPRESSIONS.has(probe.compression) &&
    (probe.photometric === 0 || probe.photometric === 1 || probe.photometric === 2) &&
    (probe.bitsPerSample === 8 || probe.bitsPerSample === 16 || (probe.bitsPerSample === 32 && probe.sampleFormat === 'float'))
  );
}

/** Whether the page's strips can be cut into bands this way (and usefully: more than one strip). */
export function canCutStrips(probe: TiffProbe): boolean {
  return stripsCuttable(probe) && probe.blockHeight < probe.height;
}

export interface StripBand {
  /** A complete TIFF holding the strips that cover the band. */
  tiff: Buffer;
  /** Rows of that TIFF above the band's first row (the band starts inside its first strip). */
  skipRows: number;
  /** Rows the TIFF holds (whole strips: may run past the band's end). */
  tiffRows: number;
}

type Entry = [tag: number, type: 3 | 4, values: number[]];

/** The strips covering rows [top, top + rows) as a standalone TIFF. */
export async function cutStrips(probe: TiffProbe, top: number, rows: number): Promise<StripBand> {
  const rps = probe.blockHeight;
  const first = Math.floor(top / rps);
  const last = Math.ceil((top + rows) / rps) - 1;
  const coveredRows = Math.min(probe.height, (last + 1) * rps) - first * rps;
  const counts = probe.blockByteCounts.slice(first, last + 1);
  const offsets = probe.blockOffsets.slice(first, last + 1);
  const spp = probe.samplesPerPixel;
  // The strip offsets point past the directory, which has the same size whatever they are.
  const newOffsets = new Array<number>(offsets.length).fill(0);
  const entries: Entry[] = [
    [256, 4, [probe.width]],
    [257, 4, [coveredRows]],
    [258, 3, new Array<number>(spp).fill(probe.bitsPerSample)],
    [259, 3, [probe.compression]],
    [262, 3, [probe.photometric]],
    [273, 4, newOffsets], // filled in below, once the data's place is known
    [277, 3, [spp]],
    [278, 4, [rps]],
    [279, 4, counts],
    [284, 3, [1]],
    ...(probe.predictor !== 1 ? [[317, 3, [probe.predictor]] as Entry] : []),
    ...(probe.extraSamples.length > 0 ? [[338, 3, probe.extraSamples] as Entry] : []),
    [339, 3, new Array<number>(spp).fill(probe.sampleFormat === 'float' ? 3 : 1)],
  ];
  const ifdBytes = 2 + entries.length * 12 + 4;
  const outOfLineBytes = (values: number[], type: 3 | 4) => (values.length * (type === 3 ? 2 : 4) > 4 ? values.length * (type === 3 ? 2 : 4) : 0);
  const dataStart = 8 + ifdBytes + entries.reduce((sum, [, type, v]) => sum + outOfLineBytes(v, type), 0);
  let dataBytes = 0;
  counts.forEach((n, i) => {
    newOffsets[i] = dataStart + dataBytes;
    dataBytes += n;
  });

  const out = Buffer.alloc(dataStart + dataBytes);
  const le = probe.littleEndian;
  const u16 = (v: number, o: number) => (le ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (le ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  out.write(le ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  u16(entries.length, 8);
  let extra = 8 + ifdBytes;
  entries.forEach(([tag, type, values], i) => {
    const e = 10 + i * 12;
    u16(tag, e);
    u16(type, e + 2);
    u32(values.length, e + 4);
    const size = type === 3 ? 2 : 4;
    let target = e + 8;
    if (values.length * size > 4) {
      u32(extra, e + 8);
      target = extra;
      extra += values.length * size;
    }
    values.forEach((v, j) => (type === 3 ? u16(v, target + j * 2) : u32(v, target + j * 4)));
  });
  u32(0, 10 + entries.length * 12); // no next directory

  const fh = await open(probe.path, 'r');
  try {
    // Strips usually follow each other in the file: read each run of adjacent strips at once.
    let dst = dataStart;
    for (let i = 0; i < offsets.length; ) {
      let j = i;
      let length = counts[i]!;
      while (j + 1 < offsets.length && offsets[j + 1] === offsets[j]! + counts[j]!) length += counts[++j]!;
      const { bytesRead } = await fh.read(out, dst, length, offsets[i]!);
      if (bytesRead < length)
        throw new ImageImportError('truncated', `"${path.basename(probe.path)}" became shorter during the import (it is being overwritten or was truncated).`);
      dst += length;
      i = j + 1;
    }
  } finally {
    await fh.close();
  }
  return { tiff: out, skipRows: top - first * rps, tiffRows: coveredRows };
}

/**
 * Uncompressed 8/16-bit grey or RGB strips (one or many) already hold the stored samples: rows
 * are copied straight from the file (16-bit big-endian swapped), with no decoder in between.
 */
export function canReadRowsDirectly(probe: TiffProbe): boolean {
  return (
    stripsCuttable(probe) && probe.compression === 1 && probe.sampleFormat === 'uint' && probe.photometric !== 0 &&
    (probe.bitsPerSample === 8 || probe.bitsPerSample === 16) && probe.samplesPerPixel === probe.storedChannels
  );
}

/**
 * Rows [top, top + rows) of an uncompressed page (see canReadRowsDirectly) as stored samples,
 * read into `into` when given (reusing a buffer spares the page faults of fresh memory, which
 * cost more than the copy itself).
 */
export async function readRowsDirectly(probe: TiffProbe, top: number, rows: number, into?: Buffer): Promise<Samples> {
  const rowBytes = probe.width * probe.samplesPerPixel * (probe.bitsPerSample / 8);
  const rps = probe.blockHeight;
  const out = into && into.byteLength >= rows * rowBytes ? into.subarray(0, rows * rowBytes) : Buffer.allocUnsafe(rows * rowBytes);
  const fh = await open(probe.path, 'r');
  try {
    for (let row = top; row < top + rows; ) {
      const strip = Math.floor(row / rps);
      // This strip's remaining rows, extended over the following strips while they are adjacent.
      let runEnd = Math.min((strip + 1) * rps, top + rows);
      for (let s = strip; runEnd < top + rows && probe.blockOffsets[s + 1] === probe.blockOffsets[s]! + rps * rowBytes; s++)
        runEnd = Math.min((s + 2) * rps, top + rows);
      const length = (runEnd - row) * rowBytes;
      const from = probe.blockOffsets[strip]! + (row - strip * rps) * rowBytes;
      const { bytesRead } = await fh.read(out, (row - top) * rowBytes, length, from);
      if (bytesRead < length)
        throw new ImageImportError('truncated', `"${path.basename(probe.path)}" became shorter during the import (it is being overwritten or was truncated).`);
      row = runEnd;
    }
  } finally {
    await fh.close();
  }
  if (probe.bitsPerSample === 16 && !probe.littleEndian) out.swap16();
  return samplesFromBytes(out, probe.storedBitsPerSample);
}
