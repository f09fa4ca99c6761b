// Decodes rows of a probed TIFF page through sharp (libvips) into the samples the pyramid stores:
// 8/16-bit as is, 1-bit as 0/255, palette and YCbCr as RGB, float mapped linearly to 16-bit.
import sharp, { type Sharp } from 'sharp';
import { ImageImportError } from './importError';
import { samplesFromBytes, type Samples } from './raster';
import { canCutStrips, canReadRowsDirectly, cutStrips, readRowsDirectly } from './stripBands';
import type { TiffProbe } from './tiffProbe';

export interface FloatMapping {
  min: number;
  max: number;
}

// Import runs in the compute process: no cache of decoded images, and both cores for libvips.
sharp.cache(false);

function wrapDecodeError(err: unknown, probe: TiffProbe): ImageImportError {
  if (err instanceof ImageImportError) return err;
  const text = err instanceof Error ? err.message : String(err);
  if (/missing|No such file|does not exist|unable to open/i.test(text))
    return new ImageImportError('source-missing', `The source file "${probe.path}" vanished during import (moved or deleted).`);
  return new ImageImportError('decode-failed', `The pixel data of "${probe.path}" could not be decoded: ${text.split('\n')[0]}`);
}

async function pipeline(probe: TiffProbe, top: number, rows: number): Promise<Sharp> {
  const whole = top === 0 && rows === probe.height;
  let img: Sharp;
  if (!whole && canCutStrips(probe)) {
    const band = await cutStrips(probe, top, rows);
    img = sharp(band.tiff, { limitInputPixels: false, failOn: 'error' });
    if (band.skipRows > 0 || band.tiffRows !== rows)
      img = img.extract({ left: 0, top: band.skipRows, width: probe.width, height: rows });
  } else {
    img = sharp(probe.path, { page: probe.page, limitInputPixels: false, sequentialRead: whole, failOn: 'error' });
    if (!whole) img = img.extract({ left: 0, top, width: probe.width, height: rows });
  }
  const extra = probe.samplesPerPixel - (probe.photometric === 2 || probe.photometric === 6 ? 3 : 1);
  if (extra > 0) img = img.removeAlpha();
  return img;
}

/**
 * Min and max of a float page, for the linear mapping to 16-bit: one pass over bands of the
 * decoded floats (libvips' stats() rounds them, so it cannot serve).
 */
export async function floatRange(probe: TiffProbe, bandRows: number): Promise<FloatMapping> {
  let min = Infinity;
  let max = -Infinity;
  for (let top = 0; top < probe.height; top += bandRows) {
    const values = await decodeFloats(probe, top, Math.min(bandRows, probe.height - top));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max))
    throw new ImageImportError('decode-failed', `"${probe.path}" holds no finite float values to map to 16 bit.`);
  return { min, max };
}

async function decodeFloats(probe: TiffProbe, top: number, rows: number): Promise<Float32Array> {
  try {
    const bytes = await (await pipeline(probe, top, rows)).toColourspace('b-w').raw({ depth: 'float' }).toBuffer();
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
    return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  } catch (err) {
    throw wrapDecodeError(err, probe);
  }
}

function mapFloats(values: Float32Array, mapping: FloatMapping): Uint16Array {
  const out = new Uint16Array(values.length);
  const scale = mapping.max > mapping.min ? 65535 / (mapping.max - mapping.min) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isNaN(v) ? 0 : Math.round((v - mapping.min) * scale);
  }
  return out;
}

/**
 * Rows [top, top + rows) of the page as stored samples. `into` is a buffer the result may be
 * written into (only uncompressed pages read directly use it); the result says where it is.
 */
export async function decodeRows(probe: TiffProbe, top: number, rows: number, mapping: FloatMapping | null, into?: Buffer): Promise<Samples> {
  try {
    if (probe.sampleFormat === 'float') {
      if (!mapping) throw new Error('float page decoded without a mapping');
      return mapFloats(await decodeFloats(probe, top, rows), mapping);
    }
    if (canReadRowsDirectly(probe)) return await readRowsDirectly(probe, top, rows, into);
    const sixteen = probe.storedBitsPerSample === 16;
    const colourspace = probe.storedChannels === 3 ? (sixteen ? 'rgb16' : 'srgb') : sixteen ? 'grey16' : 'b-w';
    const bytes = await (await pipeline(probe, top, rows)).toColourspace(colourspace).raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer();
    const expected = probe.width * rows * probe.storedChannels * (sixteen ? 2 : 1);
    if (bytes.byteLength !== expected)
      throw new ImageImportError('decode-failed', `"${probe.path}" decoded to ${bytes.byteLength} bytes instead of ${expected}.`);
    return samplesFromBytes(bytes, probe.storedBitsPerSample);
  } catch (err) {
    throw wrapDecodeError(err, probe);
  }
}
