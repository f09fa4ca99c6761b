// Writes PNG previews of synthetic SEM tiles (image, and image with the mask outlined) to
// test-output/generators/, to look at: `npx tsx test/generators/sem/previewSem.ts [size] [seed] [style family]`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { generateSemTile } from './semTile';
import { isSemStyleFamily } from './semStyle';

const size = Number(process.argv[2] ?? 1024);
const seed = Number(process.argv[3] ?? 1);
const family = process.argv[4] ?? 'classic';
if (!isSemStyleFamily(family)) throw new Error(`unknown style family ${family}`);
const outDir = path.resolve(import.meta.dirname, '../../../test-output/generators');
mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
const tile = generateSemTile({ width: size, height: size, seed, markerCount: Math.max(1, Math.round((size * size) / 350_000)), style: family });
const ms = performance.now() - t0;
const rgb = new Uint8Array(size * size * 3);
for (let i = 0; i < size * size; i++) {
  const v = tile.pixels[i] as number;
  const x = i % size;
  const y = Math.floor(i / size);
  // Outline the truth: a mask pixel with a background 4-neighbour is drawn red.
  const m = tile.mask;
  const edge = m[i] === 1 && (x === 0 || y === 0 || x === size - 1 || y === size - 1 || !m[i - 1] || !m[i + 1] || !m[i - size] || !m[i + size]);
  rgb[3 * i] = edge ? 255 : v;
  rgb[3 * i + 1] = edge ? 0 : v;
  rgb[3 * i + 2] = edge ? 0 : v;
}
await sharp(tile.pixels, { raw: { width: size, height: size, channels: 1 } }).png().toFile(path.join(outDir, `sem_${size}_s${seed}_${family}.png`));
await sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).png().toFile(path.join(outDir, `sem_${size}_s${seed}_${family}_truth.png`));
console.log(JSON.stringify({ size, seed, ms: Math.round(ms), markers: tile.markers.length, areas: tile.markers.map((m) => m.area) }));
