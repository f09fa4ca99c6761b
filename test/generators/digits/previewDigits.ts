// Writes PNG previews of cluttered-digit fields (image | instance mask) to
// test-output/generators/: `npx tsx test/generators/digits/previewDigits.ts [seed] [pool]`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { generateClutteredDigits } from './clutteredDigits';
import type { DigitPool } from './mnist';

const seed = Number(process.argv[2] ?? 1);
const pool = (process.argv[3] ?? 'train') as DigitPool;
const outDir = path.resolve(import.meta.dirname, '../../../test-output/generators');
mkdirSync(outDir, { recursive: true });
const f = generateClutteredDigits({ seed, pool });
const w = f.size * 2 + 4;
const rgb = new Uint8Array(w * f.size * 3);
for (let y = 0; y < f.size; y++) {
  for (let x = 0; x < f.size; x++) {
    const v = Math.round(255 * (f.pixels[y * f.size + x] as number));
    const id = f.instanceMask[y * f.size + x] as number;
    const digit = id ? (f.instances[id - 1]?.digit ?? 0) : -1;
    const left = 3 * (y * w + x);
    rgb[left] = rgb[left + 1] = rgb[left + 2] = v;
    const right = 3 * (y * w + x + f.size + 4);
    // Colour each class differently on the right.
    rgb[right] = digit < 0 ? 0 : 60 + ((digit * 97) % 196);
    rgb[right + 1] = digit < 0 ? 0 : 60 + ((digit * 53 + 80) % 196);
    rgb[right + 2] = digit < 0 ? 0 : 60 + ((digit * 29 + 150) % 196);
  }
}
const file = path.join(outDir, `digits_${pool}_s${seed}.png`);
await sharp(rgb, { raw: { width: w, height: f.size, channels: 3 } }).png().toFile(file);
console.log(JSON.stringify({ file, labels: Array.from(f.labels), digits: f.instances.map((i) => i.digit), blurSigma: f.blurSigma }));
