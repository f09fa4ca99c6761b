// `npx tsx scripts/exportSweepCrops.ts --out DIR [--tiles 8 --size 2048 --seed 7001 --styles classic,varied --density 2 --name train]`:
// writes the crops a sweep sees — every 256² crop of the sweep's grid over synthetic SEM images,
// plus the grid shifted by half a crop (objects cut by crop borders, as a sweep meets them) —
// for distilling a screening network outside the app (scripts/distillScreenTorch.py).
// `DIR/<name>.u8` (count × 256 × 256 bytes, raw grey levels, one crop after the other) and
// `DIR/<name>.json` ({ cropSize, labels, markerPixels, covers, areas, shifted, tiles: [{ seed, style }] }:
// `covers` names, per crop, the markers that make it positive, by their index in `areas`;
// `shifted` marks the crops of the half-shifted grid). scripts/sweepThreshold.ts reads them. The generator
// images use more markers per megapixel than a section holds (--density), so positives are not
// too rare to learn from; the screen's threshold is still set on sweep-like held-out crops.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSemTile, semCropLabel } from '../test/generators/sem';
import { deriveSeed } from '../test/generators/sem/prng';
import { isSemStyleFamily, type SemStyleFamily } from '../test/generators/sem/semStyle';

const CROP = 256;
const MIN_MARKER_PIXELS = 400;

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    name: { type: 'string', default: 'train' },
    tiles: { type: 'string', default: '8' },
    size: { type: 'string', default: '2048' },
    seed: { type: 'string', default: '7001' },
    styles: { type: 'string', default: 'classic,varied' },
    density: { type: 'string', default: '2' },
  },
});
if (!values.out) throw new Error('--out DIR is required');
const styles = (values.styles ?? 'classic').split(',').map((s) => {
  if (!isSemStyleFamily(s)) throw new Error(`--styles: ${s} is not a generator style`);
  return s as SemStyleFamily;
});
const size = Number(values.size);
const tiles = Number(values.tiles);

const chunks: Buffer[] = [];
const labels: number[] = [];
const markerPixels: number[] = [];
/** Per crop, the markers that make it positive (ids over all tiles); per marker, its area. */
const covers: number[][] = [];
/** Per crop, whether it is of the half-shifted grid. */
const shifted: boolean[] = [];
const areas: number[] = [];
const tileInfo: Array<{ seed: number; style: string }> = [];
for (let t = 0; t < tiles; t++) {
  const seed = deriveSeed(Number(values.seed), t);
  const style = styles[t % styles.length] as SemStyleFamily;
  const tile = generateSemTile({ width: size, height: size, seed, style, markerDensity: Number(values.density) });
  tileInfo.push({ seed, style });
  for (const offset of [0, CROP / 2]) {
    for (let y = offset; y + CROP <= size; y += CROP) {
      for (let x = offset; x + CROP <= size; x += CROP) {
        const crop = Buffer.alloc(CROP * CROP);
        for (let j = 0; j < CROP; j++) crop.set(tile.pixels.subarray((y + j) * size + x, (y + j) * size + x + CROP), j * CROP);
        chunks.push(crop);
        const l = semCropLabel(tile.markers, tile.mask, size, x, y, CROP, MIN_MARKER_PIXELS);
        labels.push(l.label);
        markerPixels.push(l.markerPixels);
        covers.push(l.covers.map((k) => areas.length + k));
        shifted.push(offset !== 0);
      }
    }
  }
  areas.push(...tile.markers.map((m) => m.area));
}
mkdirSync(values.out, { recursive: true });
const base = path.join(values.out, values.name ?? 'train');
writeFileSync(`${base}.u8`, Buffer.concat(chunks));
writeFileSync(`${base}.json`, JSON.stringify({ cropSize: CROP, labels, markerPixels, covers, areas, shifted, tiles: tileInfo }));
console.log(JSON.stringify({ file: `${base}.u8`, crops: labels.length, positives: labels.filter((l) => l === 1).length }));
