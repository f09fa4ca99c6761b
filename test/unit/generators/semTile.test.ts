import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSemTile, writeSemTiff, type SemTile } from '../../generators/sem';

/** Labels 8-connected components of a 0/1 mask; returns their pixel counts. */
function componentSizes(mask: Uint8Array, w: number, h: number): number[] {
  const seen = new Uint8Array(mask.length);
  const sizes: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let n = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop() as number;
      n++;
      const x = i % w;
      const y = (i - x) / w;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const j = ny * w + nx;
        if (mask[j] && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    sizes.push(n);
  }
  return sizes;
}

describe('generateSemTile', () => {
  const tile: SemTile = generateSemTile({ width: 1100, height: 900, seed: 11, markerCount: 5 });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sem-tile-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateSemTile({ width: 1100, height: 900, seed: 11, markerCount: 5 });
    expect(Buffer.from(again.pixels).equals(Buffer.from(tile.pixels))).toBe(true);
    expect(Buffer.from(again.mask).equals(Buffer.from(tile.mask))).toBe(true);
    expect(again.markers).toEqual(tile.markers);
    const other = generateSemTile({ width: 1100, height: 900, seed: 12, markerCount: 5 });
    let differing = 0;
    for (let i = 0; i < other.pixels.length; i++) if (other.pixels[i] !== tile.pixels[i]) differing++;
    expect(differing).toBeGreaterThan(0.5 * other.pixels.length);
  });

  it('places the requested markers, each 60–170 px across', () => {
    expect(tile.markers).toHaveLength(5);
    for (const m of tile.markers) {
      const [, , w, h] = m.box;
      expect(w).toBeGreaterThanOrEqual(60);
      expect(w).toBeLessThanOrEqual(170);
      expect(h).toBeGreaterThanOrEqual(60);
      expect(h).toBeLessThanOrEqual(170);
      const equivalentDiameter = 2 * Math.sqrt(m.area / Math.PI);
      expect(equivalentDiameter).toBeGreaterThanOrEqual(60);
      expect(equivalentDiameter).toBeLessThanOrEqual(170);
    }
  });

  it('has a mask that is exactly the markers: one component each, matching area, box and centroid', () => {
    let total = 0;
    for (const v of tile.mask) total += v;
    expect(total).toBe(tile.markers.reduce((s, m) => s + m.area, 0));
    expect(componentSizes(tile.mask, tile.width, tile.height).sort((a, b) => a - b)).toEqual(tile.markers.map((m) => m.area).sort((a, b) => a - b));
    for (const m of tile.markers) {
      const [bx, by, bw, bh] = m.box;
      let n = 0;
      let sx = 0;
      let sy = 0;
      let minX = Infinity;
      let maxX = -Infinity;
      for (let y = by; y < by + bh; y++) for (let x = bx; x < bx + bw; x++) if (tile.mask[y * tile.width + x]) {
        n++;
        sx += x;
        sy += y;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
      }
      expect(n).toBe(m.area);
      expect(sx / n).toBeCloseTo(m.cx, 9);
      expect(sy / n).toBeCloseTo(m.cy, 9);
      expect([minX, maxX]).toEqual([bx, bx + bw - 1]);
    }
  });

  it('draws markers as dark blobs on a lighter, textured background', () => {
    let inSum = 0;
    let inN = 0;
    let outSum = 0;
    let outN = 0;
    for (let i = 0; i < tile.pixels.length; i++) {
      if (tile.mask[i]) {
        inSum += tile.pixels[i] as number;
        inN++;
      } else {
        outSum += tile.pixels[i] as number;
        outN++;
      }
    }
    expect(inSum / inN).toBeLessThan(70);
    expect(outSum / outN).toBeGreaterThan(120);
    // Texture: the background is not flat (membranes, noise) and uses a wide range of levels.
    const levels = new Set(tile.pixels);
    expect(levels.size).toBeGreaterThan(150);
  });

  it('has no seam where the 512-px render tiles meet', () => {
    const { width, height, pixels } = tile;
    const columnStep = (x: number) => {
      let s = 0;
      for (let y = 0; y < height; y++) s += Math.abs((pixels[y * width + x + 1] as number) - (pixels[y * width + x] as number));
      return s / height;
    };
    const seam = columnStep(511);
    const nearby = [505, 507, 509, 514, 516, 518].map(columnStep);
    const mean = nearby.reduce((a, b) => a + b, 0) / nearby.length;
    expect(seam).toBeLessThan(mean * 1.3);
  });

  it('derives the marker count from a density, and fits none in a tiny image', () => {
    expect(generateSemTile({ width: 2048, height: 2048, seed: 5, markerDensity: 1 }).markers).toHaveLength(4);
    const tiny = generateSemTile({ width: 100, height: 80, seed: 5, markerCount: 3 });
    expect(tiny.markers).toHaveLength(0);
    expect(tiny.pixels).toHaveLength(8000);
    expect(() => generateSemTile({ width: 0, height: 10, seed: 1 })).toThrow(RangeError);
  });

  it('writes a greyscale TIFF that reads back byte for byte', async () => {
    const file = path.join(tmp, 'sem.tif');
    await writeSemTiff(file, tile);
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height, meta.channels, meta.depth]).toEqual([1100, 900, 1, 'uchar']);
    const data = await sharp(file).extractChannel(0).raw().toBuffer();
    expect(Buffer.from(tile.pixels).equals(data)).toBe(true);
  });
});
