// Turns a crop of an image (level-0 square) into RGBA pixels for a 2D canvas, from the raw tiles
// of one pyramid level, with the image's display settings (window, gamma, invert) applied the
// way the viewer's shader applies them: gray samples are mapped, RGB passes through unchanged.
// The level is the coarsest one that still gives at least the displayed size, so a 512² crop
// shown at 256 px reads a quarter of the samples.
import { defaultDisplay, displayValue, maxSampleValue, shaderWindow, type DisplaySettings } from '../viewer/contrast';
import type { TileKey } from '../api/tileSource';
import { tileKeyString, tilesCovering, tileSizeAt } from '../viewer/tileGrid';
import { levelSizeOf, type ImageGeometry } from '../../src-shared/imageGeometry';

/** A crop in level-0 pixels (the labelling grid's squares). */
export interface CropRect {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/** The pyramid level to read a crop of `size` shown at `displaySize` screen pixels. */
export function cropLevel(size: number, displaySize: number, levels: number): number {
  if (displaySize <= 0 || size <= displaySize) return 0;
  return Math.max(0, Math.min(levels - 1, Math.floor(Math.log2(size / displaySize))));
}

/** The crop's rectangle in `level`'s pixels (clamped to the level, at least 1 px). */
export function cropRectAtLevel(crop: CropRect, level: number, levelSize: readonly [number, number]): { x: number; y: number; w: number; h: number } {
  const f = 2 ** level;
  const x = Math.min(Math.floor(crop.x / f), levelSize[0] - 1);
  const y = Math.min(Math.floor(crop.y / f), levelSize[1] - 1);
  const w = Math.max(1, Math.min(levelSize[0] - x, Math.round(crop.size / f)));
  const h = Math.max(1, Math.min(levelSize[1] - y, Math.round(crop.size / f)));
  return { x, y, w, h };
}

/** The tiles of `level` a crop needs. */
export function cropTiles(crop: CropRect, level: number, image: ImageGeometry): TileKey[] {
  const levelSize = levelSizeOf(image, level);
  return tilesCovering({ x0: crop.x, y0: crop.y, x1: crop.x + crop.size, y1: crop.y + crop.size }, level, levelSize, image.tileSize);
}

/** The level and tiles a crop shown at `displaySize` is drawn from (the grid's cells, and its prefetch of the next page). */
export function shownCropTiles(crop: CropRect, displaySize: number, image: ImageGeometry): { level: number; keys: TileKey[] } {
  const level = cropLevel(crop.size, displaySize, image.levels);
  return { level, keys: cropTiles(crop, level, image) };
}

/**
 * Sample value → display byte for every possible value (256 or 65536 entries): one lookup per
 * pixel instead of a pow per pixel.
 */
export function grayLookup(display: DisplaySettings, bitsPerSample: 8 | 16): Uint8Array {
  const full = maxSampleValue(bitsPerSample);
  const { low, high } = shaderWindow(display, bitsPerSample);
  const lut = new Uint8Array(full + 1);
  for (let v = 0; v <= full; v++) lut[v] = Math.round(displayValue(v / full, low, high, display.gamma, display.invert) * 255);
  return lut;
}

function samplesOf(body: ArrayBuffer, bits: 8 | 16): Uint8Array | Uint16Array {
  if (bits === 8) return new Uint8Array(body);
  const view = new DataView(body);
  const out = new Uint16Array(body.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

/**
 * RGBA pixels of the crop at `level` (its size at that level), from the tiles' raw bodies keyed
 * by tileKeyString. A missing tile leaves its part transparent.
 */
export function rasterizeCrop(
  crop: CropRect,
  level: number,
  image: ImageGeometry,
  tiles: ReadonlyMap<string, ArrayBuffer>,
  display: DisplaySettings | null,
): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
  const levelSize = levelSizeOf(image, level);
  const r = cropRectAtLevel(crop, level, levelSize);
  const rgba = new Uint8ClampedArray(r.w * r.h * 4);
  const lut = image.channels === 1 ? grayLookup(display ?? defaultDisplay(image.bitsPerSample), image.bitsPerSample) : null;
  const ts = image.tileSize;
  for (const key of cropTiles(crop, level, image)) {
    const body = tiles.get(tileKeyString(key));
    if (!body) continue;
    const [tw, th] = tileSizeAt(key, levelSize, ts);
    const expected = tw * th * image.channels * (image.bitsPerSample / 8);
    if (body.byteLength !== expected) throw new Error(`tile ${tileKeyString(key)} is ${body.byteLength} bytes, expected ${expected}`);
    const samples = samplesOf(body, image.bitsPerSample);
    const tx0 = key.col * ts;
    const ty0 = key.row * ts;
    // Overlap of the tile and the crop, in level pixels.
    const x0 = Math.max(r.x, tx0);
    const y0 = Math.max(r.y, ty0);
    const x1 = Math.min(r.x + r.w, tx0 + tw);
    const y1 = Math.min(r.y + r.h, ty0 + th);
    for (let y = y0; y < y1; y++) {
      let src = ((y - ty0) * tw + (x0 - tx0)) * image.channels;
      let dst = ((y - r.y) * r.w + (x0 - r.x)) * 4;
      for (let x = x0; x < x1; x++, dst += 4) {
        if (lut) {
          const g = lut[samples[src++] as number] as number;
          rgba[dst] = g;
          rgba[dst + 1] = g;
          rgba[dst + 2] = g;
        } else {
          const shift = image.bitsPerSample === 16 ? 8 : 0;
          rgba[dst] = (samples[src++] as number) >> shift;
          rgba[dst + 1] = (samples[src++] as number) >> shift;
          rgba[dst + 2] = (samples[src++] as number) >> shift;
        }
        rgba[dst + 3] = 255;
      }
    }
  }
  return { width: r.w, height: r.h, rgba };
}
