// A single-channel 2-D map in a typed array (row-major), the currency of explain/ and
// postprocess/: maps stay out of tensors once computed, so these steps run identically on every
// backend and cost no GPU/wasm round trips.

export interface ScalarMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

export interface BinaryMask {
  /** 1 inside, 0 outside. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export function scalarMap(data: Float32Array, width: number, height: number): ScalarMap {
  if (data.length !== width * height) throw new Error(`map of ${data.length} values is not ${width}×${height}`);
  return { data, width, height };
}

/**
 * Nearest-neighbour upsampling by pixel repetition (what the reference does to bring every
 * block's map to the input size): output pixel (x, y) takes source pixel (⌊x·w/W⌋, ⌊y·h/H⌋).
 */
export function upsampleNearest(src: ScalarMap, width: number, height: number): ScalarMap {
  if (src.width === width && src.height === height) return src;
  const out = new Float32Array(width * height);
  const colIndex = new Int32Array(width);
  for (let x = 0; x < width; x++) colIndex[x] = Math.floor((x * src.width) / width);
  for (let y = 0; y < height; y++) {
    const rowOffset = Math.floor((y * src.height) / height) * src.width;
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = src.data[rowOffset + (colIndex[x] as number)] as number;
  }
  return { data: out, width, height };
}
