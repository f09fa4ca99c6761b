// Measures generateSemTile at a large size (default 10,240²): wall time, peak RSS and the marker
// count, printed as JSON. `npx tsx test/generators/sem/measureSemLarge.ts [side] [--tiff PATH]`.
import { generateSemTile, writeSemTiff } from './semTile';

const side = Number(process.argv[2] ?? 10_240);
const tiffAt = process.argv.indexOf('--tiff');
const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const t0 = performance.now();
const tile = generateSemTile({ width: side, height: side, seed: 42 });
const generateMs = performance.now() - t0;
let tiffMs: number | null = null;
if (tiffAt > 0 && process.argv[tiffAt + 1]) {
  const t1 = performance.now();
  await writeSemTiff(process.argv[tiffAt + 1] as string, tile);
  tiffMs = performance.now() - t1;
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
clearInterval(sampler);
console.log(
  JSON.stringify({
    side,
    megapixels: (side * side) / 1e6,
    generateMs: Math.round(generateMs),
    nsPerPixel: Math.round((generateMs * 1e6) / (side * side)),
    tiffMs: tiffMs === null ? null : Math.round(tiffMs),
    rssBeforeMB: Math.round(rssBefore / 2 ** 20),
    peakRssMB: Math.round(peakRss / 2 ** 20),
    outputMB: Math.round((2 * side * side) / 2 ** 20),
    markers: tile.markers.length,
  }),
);
