// Turns a raw tile body (row-major samples, interleaved channels, little-endian 16-bit) into
// texel data the GPU can take as a single-channel or RGBA texture, without losing precision:
// 8-bit gray → r8unorm as is; 16-bit gray → r32float holding v / 65535 (float32 represents
// every 16-bit value exactly, unlike r16float); RGB → rgba8unorm (16-bit RGB keeps its top byte).

export type TexelFormat = 'r8unorm' | 'r32float' | 'rgba8unorm';

export interface TileLayout {
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: 8 | 16;
  readonly channels: 1 | 3;
}

export interface TileTexels {
  readonly format: TexelFormat;
  readonly data: Uint8Array | Float32Array;
  readonly width: number;
  readonly height: number;
  /** GPU memory the texture will take. */
  readonly bytes: number;
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function expectedTileBytes(l: TileLayout): number {
  return l.width * l.height * l.channels * (l.bitsPerSample / 8);
}

function readUint16LE(body: ArrayBuffer): Uint16Array {
  if (hostIsLittleEndian) return new Uint16Array(body);
  const view = new DataView(body);
  const out = new Uint16Array(body.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

export function tileTexels(body: ArrayBuffer, l: TileLayout): TileTexels {
  const expected = expectedTileBytes(l);
  if (body.byteLength !== expected) {
    throw new Error(`tile is ${body.byteLength} bytes, expected ${expected} for ${l.width}×${l.height}`);
  }
  const n = l.width * l.height;
  if (l.channels === 1 && l.bitsPerSample === 8) {
    return { format: 'r8unorm', data: new Uint8Array(body), width: l.width, height: l.height, bytes: n };
  }
  if (l.channels === 1) {
    const src = readUint16LE(body);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (src[i] as number) / 65535;
    return { format: 'r32float', data, width: l.width, height: l.height, bytes: n * 4 };
  }
  const data = new Uint8Array(n * 4);
  if (l.bitsPerSample === 8) {
    const src = new Uint8Array(body);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      data[i * 4] = src[j] as number;
      data[i * 4 + 1] = src[j + 1] as number;
      data[i * 4 + 2] = src[j + 2] as number;
      data[i * 4 + 3] = 255;
    }
  } else {
    const src = readUint16LE(body);
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      data[i * 4] = (src[j] as number) >> 8;
      data[i * 4 + 1] = (src[j + 1] as number) >> 8;
      data[i * 4 + 2] = (src[j + 2] as number) >> 8;
      data[i * 4 + 3] = 255;
    }
  }
  return { format: 'rgba8unorm', data, width: l.width, height: l.height, bytes: n * 4 };
}

/**
 * The stored samples at (x, y) of a raw tile body (one per channel), for the cursor readout;
 * null when the point is outside the tile or the body is not the layout's size.
 */
export function samplesAt(body: ArrayBuffer, l: TileLayout, x: number, y: number): number[] | null {
  if (body.byteLength !== expectedTileBytes(l) || x < 0 || y < 0 || x >= l.width || y >= l.height) return null;
  const at = (y * l.width + x) * l.channels;
  const view = new DataView(body);
  const out: number[] = [];
  for (let c = 0; c < l.channels; c++) out.push(l.bitsPerSample === 8 ? view.getUint8(at + c) : view.getUint16((at + c) * 2, true));
  return out;
}
