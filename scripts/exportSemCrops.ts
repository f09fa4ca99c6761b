// `npx tsx scripts/exportSemCrops.ts --style varied --count 3000 --seed 101 --out DIR`: writes
// crops of the synthetic SEM generator for training outside the app (scripts/trainDefaultTorch.py):
// `DIR/<style>-<seed>.u8` (count × 256 × 256 bytes, row-major, one crop after the other) and
// `DIR/<style>-<seed>.json` ({ labels, markerPixels, cropSize }). The same generateSemCrops
// call as scripts/trainDefault.ts, so both trainers see the same crops for the same seed.
// `--eval --out DIR` instead writes the held-out evaluation crops of scripts/heldOutStyles.ts,
// `DIR/eval-<family>.u8` and `.json` ({ labels, covers, areas }), for trainDefaultTorch.py --eval-dir.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSemCrops } from '../test/generators/sem';
import { SEM_STYLE_FAMILIES, isSemStyleFamily } from '../test/generators/sem/semStyle';
import { CROP, cutHeldOutTiles } from './heldOutCrops';

const { values } = parseArgs({
  options: {
    style: { type: 'string', default: 'varied' },
    count: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '101' },
    'positive-fraction': { type: 'string', default: '0.35' },
    'crop-size': { type: 'string', default: '256' },
    out: { type: 'string' },
    eval: { type: 'boolean', default: false },
  },
});
if (values.eval) {
  if (!values.out) throw new Error('--out DIR is required');
  mkdirSync(values.out, { recursive: true });
  for (const family of SEM_STYLE_FAMILIES) {
    const { crops, markers } = cutHeldOutTiles(family, 6, 1024, 5);
    const bytes = Buffer.alloc(crops.length * CROP * CROP);
    crops.forEach((c, i) => c.pixels.forEach((v, k) => (bytes[i * CROP * CROP + k] = Math.round(v * 255))));
    writeFileSync(path.join(values.out, `eval-${family}.u8`), bytes);
    writeFileSync(path.join(values.out, `eval-${family}.json`), JSON.stringify({ labels: crops.map((c) => c.label), covers: crops.map((c) => c.covers), areas: markers.map((m) => m.area) }));
  }
  console.log(JSON.stringify({ eval: values.out, families: SEM_STYLE_FAMILIES }));
  process.exit(0);
}
const style = values.style ?? 'varied';
if (!isSemStyleFamily(style)) throw new Error(`--style ${style} is not a generator style`);
if (!values.out) throw new Error('--out DIR is required');
const cropSize = Number(values['crop-size']);
if (cropSize !== 256 && cropSize !== 512) throw new Error('--crop-size must be 256 or 512');
const seed = Number(values.seed);
const crops = generateSemCrops({ seed, cropSize, count: Number(values.count), positiveFraction: Number(values['positive-fraction']), style });
mkdirSync(values.out, { recursive: true });
const bytes = Buffer.alloc(crops.length * cropSize * cropSize);
crops.forEach((c, i) => bytes.set(c.pixels, i * cropSize * cropSize));
const base = path.join(values.out, `${style}-${seed}`);
writeFileSync(`${base}.u8`, bytes);
writeFileSync(`${base}.json`, JSON.stringify({ cropSize, labels: crops.map((c) => c.label), markerPixels: crops.map((c) => c.markerPixels) }));
console.log(JSON.stringify({ file: `${base}.u8`, crops: crops.length, positives: crops.filter((c) => c.label === 1).length }));
