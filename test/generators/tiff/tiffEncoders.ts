// Block codecs for the hand-written test TIFF writer: TIFF-flavoured LZW (MSB-first codes with
// libtiff's code-width switching), PackBits, and horizontal differencing (predictor 2).
import { deflateSync } from 'node:zlib';

export type Compression = 'none' | 'lzw' | 'deflate' | 'packbits';

export const COMPRESSION_CODES: Record<Compression, number> = { none: 1, lzw: 5, deflate: 8, packbits: 32773 };

export function lzwEncode(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let bitBuf = 0;
  let bitCount = 0;
  let nbits = 9;
  const emit = (code: number): void => {
    bitBuf = (bitBuf << nbits) | code;
    bitCount += nbits;
    while (bitCount >= 8) {
      out.push((bitBuf >>> (bitCount - 8)) & 0xff);
      bitCount -= 8;
    }
    bitBuf &= (1 << bitCount) - 1;
  };
  const CLEAR = 256;
  const EOI = 257;
  let dict = new Map<number, number>();
  let next = 258;
  // Mirrors libtiff's LZWEncode/LZWPostEncode: widen after the entry past the max code, clear at 4094.
  const afterEntry = (): void => {
    next++;
    if (next === 4094) {
      emit(CLEAR);
      dict = new Map();
      next = 258;
      nbits = 9;
    } else if (next > (1 << nbits) - 1) {
      nbits++;
    }
  };
  emit(CLEAR);
  let w = -1;
  for (const k of input) {
    if (w < 0) {
      w = k;
      continue;
    }
    const key = w * 256 + k;
    const found = dict.get(key);
    if (found !== undefined) {
      w = found;
      continue;
    }
    emit(w);
    dict.set(key, next);
    afterEntry();
    w = k;
  }
  if (w >= 0) {
    emit(w);
    afterEntry();
  }
  emit(EOI);
  if (bitCount > 0) out.push((bitBuf << (8 - bitCount)) & 0xff);
  return Uint8Array.from(out);
}

/** PackBits, one row at a time as the TIFF spec asks. */
export function packBitsEncode(input: Uint8Array, rowBytes: number): Uint8Array {
  const out: number[] = [];
  for (let start = 0; start < input.length; start += rowBytes) {
    const row = input.subarray(start, Math.min(start + rowBytes, input.length));
    let i = 0;
    while (i < row.length) {
      let run = 1;
      while (i + run < row.length && run < 128 && row[i + run] === row[i]) run++;
      if (run >= 2) {
        out.push(257 - run, row[i] ?? 0);
        i += run;
        continue;
      }
      let lit = 1;
      while (i + lit < row.length && lit < 128 && !(i + lit + 1 < row.length && row[i + lit] === row[i + lit + 1])) lit++;
      out.push(lit - 1);
      for (let j = 0; j < lit; j++) out.push(row[i + j] ?? 0);
      i += lit;
    }
  }
  return Uint8Array.from(out);
}

export function compressBlock(raw: Uint8Array, compression: Compression, rowBytes: number): Uint8Array {
  switch (compression) {
    case 'none': return raw;
    case 'lzw': return lzwEncode(raw);
    case 'deflate': return new Uint8Array(deflateSync(raw));
    case 'packbits': return packBitsEncode(raw, rowBytes);
  }
}

/** Predictor 2 on sample values (before byte serialisation), in place, row by row. */
export function applyHorizontalPredictor(samples: Uint8Array | Uint16Array, width: number, rows: number, channels: number): void {
  const mask = samples instanceof Uint16Array ? 0xffff : 0xff;
  const stride = width * channels;
  for (let y = 0; y < rows; y++) {
    const o = y * stride;
    for (let i = stride - 1; i >= channels; i--) samples[o + i] = ((samples[o + i] ?? 0) - (samples[o + i - channels] ?? 0)) & mask;
  }
}
