// In-memory pixel rows as the pyramid stores them: row-major, channels interleaved, 8 or 16 bit.

export type Samples = Uint8Array | Uint16Array;

export interface Raster {
  data: Samples;
  width: number;
  height: number;
  channels: 1 | 3;
  bitsPerSample: 8 | 16;
}

export function allocSamples(bitsPerSample: 8 | 16, length: number): Samples {
  return bitsPerSample === 16 ? new Uint16Array(length) : new Uint8Array(length);
}

/** A view of a Buffer's bytes as samples (copies only when a 16-bit view would be misaligned). */
export function samplesFromBytes(bytes: Uint8Array, bitsPerSample: 8 | 16): Samples {
  if (bitsPerSample === 8) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  return new Uint16Array(Uint8Array.from(bytes).buffer);
}

/** The bytes of samples as stored on disk (16-bit little-endian: the platform order on every target). */
export function bytesOfSamples(samples: Samples): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

/**
 * 2 × 2 mean of `rows` rows of `src` (width `width`) into `dst`, rounding half up; an odd last
 * column or row averages only the pixels that exist.
 */
export function halveRows(src: Samples, width: number, rows: number, channels: number, dst: Samples): void {
  if (canHalveGrey8Fast(src, width, rows, channels, dst)) return halveGrey8Fast(src as Uint8Array, width, rows, dst as Uint8Array);
  const dw = Math.ceil(width / 2);
  const dh = Math.ceil(rows / 2);
  const stride = width * channels;
  const pairs = width >> 1;
  const oddColumn = (width & 1) === 1;
  for (let y = 0; y < dh; y++) {
    const r0 = 2 * y * stride;
    const twoRows = 2 * y + 1 < rows;
    const r1 = r0 + stride;
    let o = y * dw * channels;
    if (channels === 1) {
      if (twoRows) {
        for (let x = 0, i = r0, j = r1; x < pairs; x++, i += 2, j += 2) dst[o++] = (src[i]! + src[i + 1]! + src[j]! + src[j + 1]! + 2) >> 2;
        if (oddColumn) dst[o] = (src[r0 + width - 1]! + src[r1 + width - 1]! + 1) >> 1;
      } else {
        for (let x = 0, i = r0; x < pairs; x++, i += 2) dst[o++] = (src[i]! + src[i + 1]! + 1) >> 1;
        if (oddColumn) dst[o] = src[r0 + width - 1]!;
      }
      continue;
    }
    const step = 2 * channels;
    for (let x = 0; x < pairs; x++) {
      const i = r0 + x * step;
      for (let c = 0; c < channels; c++, o++) {
        const a = src[i + c]! + src[i + channels + c]!;
        dst[o] = twoRows ? (a + src[i + stride + c]! + src[i + stride + channels + c]! + 2) >> 2 : (a + 1) >> 1;
      }
    }
    if (oddColumn) {
      const i = r0 + (width - 1) * channels;
      for (let c = 0; c < channels; c++, o++) dst[o] = twoRows ? (src[i + c]! + src[i + stride + c]! + 1) >> 1 : src[i + c]!;
    }
  }
}

const LANES = 0x00ff00ff;

function canHalveGrey8Fast(src: Samples, width: number, rows: number, channels: number, dst: Samples): boolean {
  return (
    channels === 1 && src instanceof Uint8Array && dst instanceof Uint8Array && width % 8 === 0 && rows % 2 === 0 &&
    src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0
  );
}

/**
 * The 8-bit grey case of halveRows (SEM images: the common and the largest), four source pixels
 * per 32-bit word: even and odd bytes go to separate 16-bit lanes, the four sums of a 2 × 2 block
 * never exceed 1022, so one add per lane gives two means at once. Same rounding, same result;
 * about three times faster than the per-pixel loop, which is on the first-view critical path.
 */
function halveGrey8Fast(src: Uint8Array, width: number, rows: number, dst: Uint8Array): void {
  const words = width >> 2;
  const s32 = new Uint32Array(src.buffer, src.byteOffset, (width * rows) >> 2);
  const d32 = new Uint32Array(dst.buffer, dst.byteOffset, ((width >> 1) * (rows >> 1)) >> 2);
  let o = 0;
  for (let y = 0; y < rows; y += 2) {
    const r0 = y * words;
    const r1 = r0 + words;
    for (let x = 0; x < words; x += 2) {
      const a0 = s32[r0 + x]!;
      const a1 = s32[r1 + x]!;
      const b0 = s32[r0 + x + 1]!;
      const b1 = s32[r1 + x + 1]!;
      const sa = (a0 & LANES) + ((a0 >>> 8) & LANES) + (a1 & LANES) + ((a1 >>> 8) & LANES) + 0x00020002;
      const sb = (b0 & LANES) + ((b0 >>> 8) & LANES) + (b1 & LANES) + ((b1 >>> 8) & LANES) + 0x00020002;
      const ma = (sa >>> 2) & LANES;
      const mb = (sb >>> 2) & LANES;
      d32[o++] = (ma & 0xff) | ((ma >>> 8) & 0xff00) | ((mb & 0xff) << 16) | ((mb << 8) & 0xff000000);
    }
  }
}
