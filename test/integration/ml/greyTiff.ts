// Test helper: writes a minimal single-strip, uncompressed, little-endian grey TIFF of 16-bit
// unsigned or 32-bit float samples (sharp cannot write float TIFFs from raw data).
import { writeFile } from 'node:fs/promises';

export async function writeGreyTiff(file: string, samples: Uint16Array | Float32Array, width: number, height: number): Promise<void> {
  const bits = samples instanceof Float32Array ? 32 : 16;
  const sampleFormat = samples instanceof Float32Array ? 3 : 1;
  const dataBytes = samples.length * (bits / 8);
  const tags: [number, number, number][] = [
    // [tag, type (3 SHORT, 4 LONG), value]
    [256, 4, width],
    [257, 4, height],
    [258, 3, bits],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 8], // strip offset: data right after the header
    [277, 3, 1],
    [278, 4, height],
    [279, 4, dataBytes],
    [284, 3, 1],
    [339, 3, sampleFormat],
  ];
  const ifdOffset = 8 + dataBytes + (dataBytes % 2);
  const buf = Buffer.alloc(ifdOffset + 2 + tags.length * 12 + 4);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(ifdOffset, 4);
  for (let i = 0; i < samples.length; i++) {
    if (bits === 32) buf.writeFloatLE(samples[i] as number, 8 + i * 4);
    else buf.writeUInt16LE(samples[i] as number, 8 + i * 2);
  }
  buf.writeUInt16LE(tags.length, ifdOffset);
  tags.forEach(([tag, type, value], i) => {
    const o = ifdOffset + 2 + i * 12;
    buf.writeUInt16LE(tag, o);
    buf.writeUInt16LE(type, o + 2);
    buf.writeUInt32LE(1, o + 4);
    if (type === 3) buf.writeUInt16LE(value, o + 8);
    else buf.writeUInt32LE(value, o + 8);
  });
  buf.writeUInt32LE(0, ifdOffset + 2 + tags.length * 12);
  await writeFile(file, buf);
}
