// Decodes rows of a probed TIFF page through sharp (libvips) into the samples the pyramid stores:
// 8/16-bit as is, 1-bit as 0/255, palette and YCbCr as RGB, float mapped linearly to 16-bit.
// libvips is strict about tags that do not change the pixels (tifffile's ResolutionUnit 5): when
// it refuses a file, the page is read through a clean view of it instead (decodeLeniently).
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { ImageImportError } from './importError';
import { correctedCopy } from './lenientTiff';
import { samplesFromBytes, type Samples } from './raster';
import { canCutStrips, canReadRowsDirectly, cutStrips, readRowsDirectly, stripsCuttable } from './stripBands';
import type { TiffProbe } from './tiffProbe';

export interface FloatMapping {
  min: number;
  max: number;
}

// Import runs in the compute process: no cache of decoded images, and both cores for libvips.
sharp.cache(false);

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

function isMissingSource(err: unknown): boolean {
  return /missing|No such file|does not exist|unable to open/i.test(err instanceof Error ? err.message : String(err));
}

function wrapDecodeError(err: unknown, probe: TiffProbe): ImageImportError {
  if (err instanceof ImageImportError) return err;
  if (isMissingSource(err))
    return new ImageImportError('source-missing', `The source file "${probe.path}" vanished during import (moved or deleted).`);
  return new ImageImportError('decode-failed', `The pixel data of "${probe.path}" could not be decoded: ${firstLine(err)}`);
}

/**
 * What libvips reads a band from: the file itself, or — once libvips has refused the file — a
 * clean view of it: the strips of the band under a directory of only the tags that define the
 * pixels (stripBands), or else a copy in memory with harmless out-of-spec tags corrected
 * (lenientTiff).
 */
type View = { kind: 'file' } | { kind: 'clean-strips' } | { kind: 'copy'; bytes: Buffer };

/** Pages libvips refused to read from their file, with the view read instead (per import). */
const refusals = new WeakMap<TiffProbe, { reason: string; view: Promise<View | string> }>();

/** Whether libvips reads these rows from the file itself (else from the strips cut for them). */
function readsFile(probe: TiffProbe, top: number, rows: number): boolean {
  return (top === 0 && rows === probe.height) || !canCutStrips(probe);
}

async function fallbackView(probe: TiffProbe): Promise<View | string> {
  if (stripsCuttable(probe)) return { kind: 'clean-strips' };
  const copy = await correctedCopy(probe);
  return copy.ok ? { kind: 'copy', bytes: copy.bytes } : copy.why;
}

/**
 * Runs `decode` on libvips' reading of rows [top, top + rows); when libvips refuses the file
 * itself, on the fallback view instead (decided once per page). Errors say what failed.
 */
async function decodeLeniently<T>(probe: TiffProbe, top: number, rows: number, decode: (img: Sharp) => Promise<T>): Promise<T> {
  if (!refusals.has(probe)) {
    try {
      return await decode(await pipeline(probe, top, rows, { kind: 'file' }));
    } catch (err) {
      if (err instanceof ImageImportError || isMissingSource(err) || !readsFile(probe, top, rows)) throw err;
      if (!refusals.has(probe)) refusals.set(probe, { reason: firstLine(err), view: fallbackView(probe) });
    }
  }
  const refusal = refusals.get(probe)!;
  const view = await refusal.view;
  const name = `"${path.basename(probe.path)}"`;
  if (typeof view === 'string')
    throw new ImageImportError(
      'decode-failed',
      `libvips could not decode ${name} (${refusal.reason}), and Micra Studio's own reader cannot either: it reads striped 8/16-bit and float grayscale/RGB pages (uncompressed, LZW, Deflate, PackBits), this page is ${layoutOf(probe)}, and ${view}.`,
    );
  try {
    return await decode(await pipeline(probe, top, rows, view));
  } catch (err) {
    if (err instanceof ImageImportError || isMissingSource(err)) throw err;
    const how = view.kind === 'copy' ? 'a copy with its out-of-spec tags corrected' : "Micra Studio's own strip reader";
    throw new ImageImportError('decode-failed', `libvips could not decode ${name} (${refusal.reason}), and decoding it through ${how} failed too: ${firstLine(err)}`);
  }
}

function layoutOf(probe: TiffProbe): string {
  const kind = probe.photometric === 3 ? 'palette' : probe.bitsPerSample === 1 ? '1-bit' : `${probe.bitsPerSample}-bit`;
  const planar = probe.planarConfig === 2 ? ' planar' : '';
  return `${kind}${planar} ${probe.tiled ? 'tiled' : 'striped'} with ${probe.compressionName} compression`;
}

async function pipeline(probe: TiffProbe, top: number, rows: number, view: View): Promise<Sharp> {
  const whole = top === 0 && rows === probe.height;
  let img: Sharp;
  if (view.kind === 'clean-strips' || !readsFile(probe, top, rows)) {
    const band = await cutStrips(probe, top, rows);
    img = sharp(band.tiff, { limitInputPixels: false, failOn: 'error' });
    if (band.skipRows > 0 || band.tiffRows !== rows)
      img = img.extract({ left: 0, top: band.skipRows, width: probe.width, height: rows });
  } else {
    const input = view.kind === 'copy' ? view.bytes : probe.path;
    img = sharp(input, { page: probe.page, limitInputPixels: false, sequentialRead: whole, failOn: 'error' });
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
    const bytes = await decodeLeniently(probe, top, rows, (img) => img.toColourspace('b-w').raw({ depth: 'float' }).toBuffer());
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
    const bytes = await decodeLeniently(probe, top, rows, (img) => img.toColourspace(colourspace).raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer());
    const expected = probe.width * rows * probe.storedChannels * (sixteen ? 2 : 1);
    if (bytes.byteLength !== expected)
      throw new ImageImportError('decode-failed', `"${probe.path}" decoded to ${bytes.byteLength} bytes instead of ${expected}.`);
    return samplesFromBytes(bytes, probe.storedBitsPerSample);
  } catch (err) {
    throw wrapDecodeError(err, probe);
  }
}
