// writeTiffFile: an uncompressed, striped, little-endian TIFF of a raster at its own bit depth
// (BigTIFF when past 4 GB). Written by hand so 16-bit data is stored exactly as the tiles hold it.
import { open } from 'node:fs/promises';
import { bytesOfSamples, type Raster } from './raster';

const ROWS_PER_STRIP_BYTES = 256 * 1024;

export async function writeTiffFile(filePath: string, raster: Raster): Promise<void> {
  const { width, height, channels, bitsPerSample } = raster;
  const rowBytes = width * channels * (bitsPerSample / 8);
  const dataBytes = rowBytes * height;
  const big = dataBytes > 2 ** 32 - 2 ** 20;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(ROWS_PER_STRIP_BYTES / rowBytes)));
  const strips = Math.ceil(height / rowsPerStrip);
  const headerSize = big ? 16 : 8;
  const offsets: number[] = [];
  const counts: number[] = [];
  for (let s = 0; s < strips; s++) {
    offsets.push(headerSize + s * rowsPerStrip * rowBytes);
    counts.push(Math.min(rowsPerStrip, height - s * rowsPerStrip) * rowBytes);
  }
  // Tag entries: [tag, type, values]; types 3 SHORT, 4 LONG, 16 LONG8.
  const offType = big ? 16 : 4;
  const entries: [number, number, number[]][] = [
    [256, 4, [width]], [257, 4, [height]], [258, 3, new Array<number>(channels).fill(bitsPerSample)], [259, 3, [1]],
    [262, 3, [channels === 3 ? 2 : 1]], [273, offType, offsets], [277, 3, [channels]], [278, 4, [rowsPerStrip]],
    [279, offType, counts], [284, 3, [1]], [339, 3, new Array<number>(channels).fill(1)],
  ];
  const size = { 3: 2, 4: 4, 16: 8 } as Record<number, number>;
  const entrySize = big ? 20 : 12;
  const inline = big ? 8 : 4;
  const ifdAt = headerSize + dataBytes + (dataBytes % 2);
  const tableBytes = (big ? 8 : 2) + entries.length * entrySize + (big ? 8 : 4);
  const extraBytes = entries.reduce((sum, [, t, v]) => sum + (v.length * size[t]! > inline ? v.length * size[t]! : 0), 0);
  const ifd = Buffer.alloc(tableBytes + extraBytes);
  let extra = tableBytes;
  const put = (buf: Buffer, type: number, v: number, at: number): void => {
    if (type === 3) buf.writeUInt16LE(v, at);
    else if (type === 4) buf.writeUInt32LE(v, at);
    else buf.writeBigUInt64LE(BigInt(v), at);
  };
  { if (big) ifd.writeBigUInt64LE(BigInt(entries.length), 0); else ifd.writeUInt16LE(entries.length, 0); }
  entries.forEach(([tag, type, values], i) => {
    const at = (big ? 8 : 2) + i * entrySize;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    { if (big) ifd.writeBigUInt64LE(BigInt(values.length), at + 4); else ifd.writeUInt32LE(values.length, at + 4); }
    const valueAt = at + (big ? 12 : 8);
    const bytes = values.length * size[type]!;
    let target = valueAt;
    if (bytes > inline) {
      put(ifd, big ? 16 : 4, ifdAt + extra, valueAt);
      target = extra;
      extra += bytes;
    }
    values.forEach((v, j) => put(ifd, type, v, target + j * size[type]!));
  });
  const header = Buffer.alloc(headerSize);
  header.write('II', 0, 'latin1');
  if (big) {
    header.writeUInt16LE(43, 2);
    header.writeUInt16LE(8, 4);
    header.writeBigUInt64LE(BigInt(ifdAt), 8);
  } else {
    header.writeUInt16LE(42, 2);
    header.writeUInt32LE(ifdAt, 4);
  }
  const fh = await open(filePath, 'w');
  try {
    await fh.write(header, 0, headerSize, 0);
    const bytes = bytesOfSamples(raster.data);
    const chunk = 256 * 1024 ** 2; // one write call takes at most 2 GB
    for (let at = 0; at < dataBytes; at += chunk) await fh.write(bytes, at, Math.min(chunk, dataBytes - at), headerSize + at);
    await fh.write(ifd, 0, ifd.length, ifdAt);
  } finally {
    await fh.close();
  }
}
