// Every TIFF variant the importer must read, each with known content: the samples the pyramid's
// level 0 must hold afterwards (1-bit → 0/255, palette → RGB, float → linearly mapped 16-bit).
import sharp, { type TiffOptions } from 'sharp';
import { writeTestTiff, type TestPage, type TiffFileOptions } from './tiffWriter';

export interface ExpectedRaster {
  width: number;
  height: number;
  channels: 1 | 3;
  bitsPerSample: 8 | 16;
  data: Uint8Array | Uint16Array;
}

export interface TiffVariant {
  name: string;
  write(filePath: string): Promise<void>;
  expected: ExpectedRaster;
  /** Allowed |difference| per sample at level 0 (lossy JPEG only). */
  tolerance: number;
  pixelSizeNm: number | null;
  imagePageCount: number;
  floatMapping?: { min: number; max: number };
}

export const VARIANT_WIDTH = 1101;
export const VARIANT_HEIGHT = 701;

export function pattern8(w: number, h: number, c: number): Uint8Array {
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = (x * 3 + y * 5 + ((x ^ y) & 31) + k * 60) & 255;
  return out;
}

export function pattern16(w: number, h: number, c: number): Uint16Array {
  const out = new Uint16Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = (x * 37 + y * 101 + ((x * y) & 1023) + k * 5000) & 65535;
  return out;
}

/** Smooth content for lossy JPEG, so a small tolerance is meaningful. */
export function smooth8(w: number, h: number, c: number): Uint8Array {
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = Math.round(128 + 100 * Math.sin(x / 90 + k) * Math.cos(y / 70));
  return out;
}

function bitPattern(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = ((x >> 3) + (y >> 2) + ((x * y) % 7 === 0 ? 1 : 0)) & 1;
  return out;
}

function floatPattern(w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = (x - y) * 0.37 + Math.sin(x / 40) * 100;
  return out;
}

function mapFloat(values: Float32Array): { data: Uint16Array; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const data = new Uint16Array(values.length);
  const scale = max > min ? 65535 / (max - min) : 0;
  values.forEach((v, i) => (data[i] = Math.round((v - min) * scale)));
  return { data, min, max };
}

const W = VARIANT_WIDTH;
const H = VARIANT_HEIGHT;

function handWritten(
  name: string, page: Omit<TestPage, 'width' | 'height'>, expected: ExpectedRaster, options: TiffFileOptions = {},
  extra: Partial<TiffVariant> = {},
): TiffVariant {
  return {
    name, expected, tolerance: 0, pixelSizeNm: null, imagePageCount: 1, ...extra,
    write: async (filePath) => writeTestTiff(filePath, [{ width: W, height: H, ...page }], options),
  };
}

export function tiffVariants(): TiffVariant[] {
  const g8 = pattern8(W, H, 1);
  const rgb8 = pattern8(W, H, 3);
  const g16 = pattern16(W, H, 1);
  const rgb16 = pattern16(W, H, 3);
  const e = (data: Uint8Array | Uint16Array, channels: 1 | 3): ExpectedRaster => ({
    width: W, height: H, channels, bitsPerSample: data instanceof Uint16Array ? 16 : 8, data,
  });
  const variants: TiffVariant[] = [];
  for (const le of [true, false])
    for (const big of [false, true]) {
      const tag = `${le ? 'le' : 'be'}-${big ? 'bigtiff' : 'classic'}`;
      variants.push(handWritten(`${tag}-gray8-strip-none`, { channels: 1, bits: 8, samples: g8, rowsPerStrip: 64 }, e(g8, 1), { littleEndian: le, bigTiff: big }));
      variants.push(handWritten(`${tag}-gray16-tile-lzw-pred2`, { channels: 1, bits: 16, samples: g16, tile: { width: 256, height: 128 }, compression: 'lzw', predictor: 2 }, e(g16, 1), { littleEndian: le, bigTiff: big }));
    }
  variants.push(
    handWritten('gray8-strip-lzw', { channels: 1, bits: 8, samples: g8, rowsPerStrip: 16, compression: 'lzw' }, e(g8, 1)),
    handWritten('gray8-strip-lzw-pred2', { channels: 1, bits: 8, samples: g8, rowsPerStrip: 16, compression: 'lzw', predictor: 2 }, e(g8, 1)),
    handWritten('gray8-tile-deflate-pred2', { channels: 1, bits: 8, samples: g8, tile: { width: 512, height: 512 }, compression: 'deflate', predictor: 2 }, e(g8, 1)),
    handWritten('gray8-strip-packbits', { channels: 1, bits: 8, samples: g8, rowsPerStrip: 32, compression: 'packbits' }, e(g8, 1)),
    handWritten('gray16-strip-deflate-be', { channels: 1, bits: 16, samples: g16, rowsPerStrip: 100, compression: 'deflate', predictor: 2 }, e(g16, 1), { littleEndian: false }),
    handWritten('gray16-strip-packbits', { channels: 1, bits: 16, samples: g16, rowsPerStrip: 50, compression: 'packbits' }, e(g16, 1)),
    handWritten('rgb8-strip-none', { channels: 3, bits: 8, samples: rgb8, rowsPerStrip: 8 }, e(rgb8, 3)),
    handWritten('rgb8-tile-lzw-pred2-be', { channels: 3, bits: 8, samples: rgb8, tile: { width: 256, height: 256 }, compression: 'lzw', predictor: 2 }, e(rgb8, 3), { littleEndian: false }),
    handWritten('rgb16-strip-deflate', { channels: 3, bits: 16, samples: rgb16, rowsPerStrip: 20, compression: 'deflate' }, e(rgb16, 3)),
  );
  // 1-bit (stored 0/255), palette (stored RGB), float (stored mapped 16-bit).
  const bits = bitPattern(W, H);
  variants.push(handWritten('bilevel1-strip-packbits', { channels: 1, bits: 1, samples: bits, rowsPerStrip: 64, compression: 'packbits' }, e(bits.map((b) => b * 255), 1)));
  const palette = new Uint8Array(768);
  for (let i = 0; i < 256; i++) palette.set([i, 255 - i, (i * 7) & 255], i * 3);
  const indices = new Uint8Array(W * H);
  const paletteRgb = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    const x = i % W;
    const y = Math.floor(i / W);
    const idx = (x + 2 * y) & 255;
    indices[i] = idx;
    paletteRgb.set(palette.subarray(idx * 3, idx * 3 + 3), i * 3);
  }
  variants.push(handWritten('palette8-strip-lzw', { channels: 1, bits: 8, samples: indices, palette, rowsPerStrip: 32, compression: 'lzw' }, e(paletteRgb, 3)));
  const floats = floatPattern(W, H);
  const mapped = mapFloat(floats);
  variants.push(handWritten('float32-tile-deflate', { channels: 1, bits: 32, samples: floats, tile: { width: 256, height: 256 }, compression: 'deflate' }, e(mapped.data, 1), {}, { floatMapping: { min: mapped.min, max: mapped.max } }));
  // Metadata: pixel size from each source, and multi-page files.
  variants.push(
    handWritten('imagej-gray16', { channels: 1, bits: 16, samples: g16, rowsPerStrip: 128, description: 'ImageJ=1.54f\nimages=1\nunit=micron\nspacing=1.0\n', resolution: { x: 1 / 0.0125, unit: 1 } }, e(g16, 1), {}, { pixelSizeNm: 12.5 }),
    handWritten('ome-gray8', { channels: 1, bits: 8, samples: g8, rowsPerStrip: 128, description: '<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="1101" SizeY="701" SizeZ="1" SizeC="1" SizeT="1" PhysicalSizeX="4.2" PhysicalSizeXUnit="nm" PhysicalSizeY="4.2"/></Image></OME>' }, e(g8, 1), {}, { pixelSizeNm: 4.2 }),
    handWritten('resolution-cm-gray8', { channels: 1, bits: 8, samples: g8, rowsPerStrip: 128, resolution: { x: 20000, unit: 3 } }, e(g8, 1), {}, { pixelSizeNm: 500 }),
    handWritten('fei-sem-gray8', { channels: 1, bits: 8, samples: g8, rowsPerStrip: 128, asciiTags: { 34682: '[Scan]\r\nPixelWidth=3.5e-09\r\nPixelHeight=3.5e-09\r\n' } }, e(g8, 1), {}, { pixelSizeNm: 3.5 }),
  );
  variants.push({
    name: 'multipage-gray8-3pages', expected: e(g8, 1), tolerance: 0, pixelSizeNm: null, imagePageCount: 3,
    write: async (filePath) =>
      writeTestTiff(filePath, [0, 1, 2].map((p) => ({ width: W, height: H, channels: 1 as const, bits: 8 as const, samples: p === 0 ? g8 : pattern8(W, H, 1).map((v) => 255 - v), rowsPerStrip: 64, compression: 'lzw' as const }))),
  });
  // Files as libvips itself writes them (tifffile/QuPath-like tiled pyramids, JPEG).
  const viaSharp = (name: string, data: Uint8Array, channels: 1 | 3, options: TiffOptions, tolerance = 0): TiffVariant => ({
    name, expected: e(data, channels), tolerance, pixelSizeNm: null, imagePageCount: 1,
    write: async (filePath) => {
      const img = sharp(data, { raw: { width: W, height: H, channels } });
      await (channels === 1 ? img.toColourspace('b-w') : img).tiff(options).toFile(filePath);
    },
  });
  variants.push(
    viaSharp('sharp-gray8-lzw', g8, 1, { compression: 'lzw', predictor: 'horizontal' }),
    viaSharp('sharp-rgb8-tiled-deflate', rgb8, 3, { compression: 'deflate', tile: true, tileWidth: 256, tileHeight: 256 }),
    viaSharp('sharp-gray8-pyramid', g8, 1, { compression: 'lzw', tile: true, pyramid: true }),
    viaSharp('sharp-gray8-jpeg', smooth8(W, H, 1), 1, { compression: 'jpeg', quality: 95 }, 6),
    viaSharp('sharp-rgb8-jpeg', smooth8(W, H, 3), 3, { compression: 'jpeg', quality: 95 }, 12),
  );
  return variants;
}
