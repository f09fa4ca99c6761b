// The labelling grid's crop pixels: assembled from raw tiles exactly as stored (edge tiles
// smaller, 16-bit little-endian), with the viewer's display mapping applied to gray samples.
import { describe, expect, it } from 'vitest';
import { cropLevel, cropRectAtLevel, cropTiles, grayLookup, rasterizeCrop } from '../../../src-renderer/training/cropRaster';
import type { ImageGeometry } from '../../../src-shared/imageGeometry';
import { displayValue } from '../../../src-renderer/viewer/contrast';
import { tileKeyString } from '../../../src-renderer/viewer/tileGrid';

const TILE = 512;

/** A pattern with no symmetry, so an offset or flip by one pixel shows. */
const pattern8 = (x: number, y: number): number => (x * 7 + y * 13 + ((x >> 5) ^ (y >> 5)) * 37) % 256;
const pattern16 = (x: number, y: number): number => (x * 131 + y * 977 + 12345) % 65536;

/** The raw tiles of level 0 of a w×h image, as the tile store writes them. */
function level0Tiles(w: number, h: number, bits: 8 | 16, channels: 1 | 3, value: (x: number, y: number, c: number) => number): Map<string, ArrayBuffer> {
  const tiles = new Map<string, ArrayBuffer>();
  for (let row = 0; row * TILE < h; row++) {
    for (let col = 0; col * TILE < w; col++) {
      const tw = Math.min(TILE, w - col * TILE);
      const th = Math.min(TILE, h - row * TILE);
      const bytes = bits / 8;
      const buf = new ArrayBuffer(tw * th * channels * bytes);
      const view = new DataView(buf);
      for (let y = 0; y < th; y++) {
        for (let x = 0; x < tw; x++) {
          for (let c = 0; c < channels; c++) {
            const v = value(col * TILE + x, row * TILE + y, c);
            const i = ((y * tw + x) * channels + c) * bytes;
            if (bits === 8) view.setUint8(i, v);
            else view.setUint16(i, v, true);
          }
        }
      }
      tiles.set(tileKeyString({ level: 0, col, row }), buf);
    }
  }
  return tiles;
}

function image(w: number, h: number, bits: 8 | 16, channels: 1 | 3): ImageGeometry {
  return { id: 1, width: w, height: h, bitsPerSample: bits, channels, tileSize: TILE, levels: 2 };
}

describe('crop raster', () => {
  it('reads an 8-bit crop that spans four tiles, pixel for pixel, with the identity display', () => {
    const im = image(900, 700, 8, 1);
    const tiles = level0Tiles(900, 700, 8, 1, (x, y) => pattern8(x, y));
    const crop = { x: 400, y: 444, size: 256 };
    expect(cropTiles(crop, 0, im)).toHaveLength(4);
    const r = rasterizeCrop(crop, 0, im, tiles, null);
    expect([r.width, r.height]).toEqual([256, 256]);
    let mismatches = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        const i = (y * 256 + x) * 4;
        const want = pattern8(400 + x, 444 + y);
        if (r.rgba[i] !== want || r.rgba[i + 1] !== want || r.rgba[i + 2] !== want || r.rgba[i + 3] !== 255) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('applies window, gamma and invert as the viewer shader does', () => {
    const im = image(600, 520, 8, 1);
    const tiles = level0Tiles(600, 520, 8, 1, (x, y) => pattern8(x, y));
    const display = { min: 40, max: 200, gamma: 1.8, invert: true };
    const crop = { x: 344, y: 264, size: 256 };
    const r = rasterizeCrop(crop, 0, im, tiles, display);
    for (const [x, y] of [[0, 0], [17, 3], [255, 255], [168, 248], [100, 200]] as const) {
      const v = pattern8(344 + x, 264 + y);
      const want = Math.round(displayValue(v / 255, 40 / 255, 200 / 255, 1.8, true) * 255);
      expect(r.rgba[(y * 256 + x) * 4]).toBe(want);
    }
    // Below the window: white when inverted; above: black.
    const lut = grayLookup(display, 8);
    expect(lut[0]).toBe(255);
    expect(lut[255]).toBe(0);
  });

  it('reads 16-bit little-endian samples through the window', () => {
    const im = image(530, 530, 16, 1);
    const tiles = level0Tiles(530, 530, 16, 1, (x, y) => pattern16(x, y));
    const display = { min: 0, max: 65535, gamma: 1, invert: false };
    const r = rasterizeCrop({ x: 274, y: 274, size: 256 }, 0, im, tiles, display);
    for (const [x, y] of [[0, 0], [237, 237], [238, 238], [255, 1]] as const) {
      const v = pattern16(274 + x, 274 + y);
      expect(r.rgba[(y * 256 + x) * 4]).toBe(Math.round((v / 65535) * 255));
    }
  });

  it('passes RGB through unchanged', () => {
    const im = image(520, 300, 8, 3);
    const tiles = level0Tiles(520, 300, 8, 3, (x, y, c) => (x + 3 * y + 50 * c) % 256);
    const r = rasterizeCrop({ x: 264, y: 44, size: 256 }, 0, im, tiles, { min: 100, max: 110, gamma: 3, invert: true });
    const i = (10 * 256 + 250) * 4;
    expect([r.rgba[i], r.rgba[i + 1], r.rgba[i + 2]]).toEqual([(514 + 162) % 256, (514 + 162 + 50) % 256, (514 + 162 + 100) % 256]);
  });

  it('leaves a missing tile transparent and rejects a tile of the wrong size', () => {
    const im = image(900, 700, 8, 1);
    const tiles = level0Tiles(900, 700, 8, 1, (x, y) => pattern8(x, y));
    tiles.delete(tileKeyString({ level: 0, col: 1, row: 1 }));
    const r = rasterizeCrop({ x: 400, y: 444, size: 256 }, 0, im, tiles, null);
    expect(r.rgba[(255 * 256 + 255) * 4 + 3]).toBe(0);
    expect(r.rgba[3]).toBe(255);
    tiles.set(tileKeyString({ level: 0, col: 1, row: 1 }), new ArrayBuffer(10));
    expect(() => rasterizeCrop({ x: 400, y: 444, size: 256 }, 0, im, tiles, null)).toThrow(/expected/);
  });

  it('picks the coarsest level that still fills the displayed size', () => {
    expect(cropLevel(256, 256, 3)).toBe(0);
    expect(cropLevel(512, 256, 3)).toBe(1);
    expect(cropLevel(512, 200, 3)).toBe(1);
    expect(cropLevel(2048, 200, 3)).toBe(2);
    expect(cropLevel(128, 256, 3)).toBe(0);
    expect(cropRectAtLevel({ x: 512, y: 256, size: 512 }, 1, [450, 350])).toEqual({ x: 256, y: 128, w: 194, h: 222 });
  });
});
