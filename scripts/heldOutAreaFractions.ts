// `npx tsx scripts/heldOutAreaFractions.ts [--size 4096] [--seeds 9101] [--styles a,b] [--fractions 0.3,0.4] [--model M]`:
// how the object mask's threshold (a share of the object's prominence, objectMask.ts) sets the
// measured area, per style. For every marker of the synthetic SEM images the sweep bench uses,
// explains a crop centred on it (Grad-CAM → precise_raw, like the sweep's object method) and
// prints, per fraction, the median and 90th-percentile relative area error |area − true| / true
// and the median signed error (positive: masks too large). One JSON line per style and seed.
import { parseArgs } from 'node:util';
import { initBackend } from '../src-main/core/ml/backend';
import { applyPreprocessing } from '../src-main/core/ml/preprocess';
import { objectMapBasis, objectMaskAt } from '../src-main/core/ml/postprocess/objectMask';
import { preciseRawOf } from '../src-main/core/ml/sweep/cropRegions';
import { centredPlacement } from '../src-main/core/ml/sweep/objectSweep';
import { loadMicraNetWeights } from '../src-main/core/ml/weights/micranetWeights';
import { createEnginePool } from '../src-main/core/ml/workerPool';
import { generateSemTile, isSemStyleFamily } from '../test/generators/sem';

const CROP = 256;
const { values } = parseArgs({ options: { size: { type: 'string' }, seeds: { type: 'string' }, styles: { type: 'string' }, fractions: { type: 'string' }, model: { type: 'string' } } });
const size = Number(values.size ?? 4096);
const seeds = (values.seeds ?? '9101').split(',').map(Number);
const styles = (values.styles ?? 'heldout-crowded,heldout-soft,heldout-pale,varied,classic').split(',');
const fractions = (values.fractions ?? '0.25,0.3,0.35,0.4,0.45,0.5').split(',').map(Number);
const model = values.model ?? 'models/default/manifest.json';

function quantile(v: number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  return +(s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))] as number).toFixed(3);
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const { net, card } = await loadMicraNetWeights(model);
  net.dispose();
  const pool = await createEnginePool({ weightsManifest: model, backend: backend.name });
  try {
    for (const style of styles) {
      if (!isSemStyleFamily(style)) throw new Error(`unknown style ${style}`);
      for (const seed of seeds) {
        const tile = generateSemTile({ width: size, height: size, seed, style });
        const image = { width: size, height: size };
        const places = tile.markers.map((m) => centredPlacement(m.cx, m.cy, CROP, image));
        const inputs = places.map((p) => {
          const out = new Float32Array(CROP * CROP);
          for (let j = 0; j < CROP; j++) for (let i = 0; i < CROP; i++) out[j * CROP + i] = (tile.pixels[(p.y + j) * size + p.x + i] as number) / 255;
          return applyPreprocessing(out, card.preprocessing);
        });
        const maps = await pool.gradCamBatch(inputs, CROP, 0);
        const errors = new Map<number, number[]>(fractions.map((f) => [f, []]));
        tile.markers.forEach((m, k) => {
          const raw = preciseRawOf(maps[k]!, CROP);
          const basis = objectMapBasis(raw);
          const p = places[k]!;
          for (const f of fractions) {
            const mask = objectMaskAt(raw, m.cx - p.x, m.cy - p.y, basis, f);
            const area = mask.data.reduce((a, v) => a + v, 0);
            errors.get(f)!.push((area - m.area) / m.area);
          }
        });
        const byFraction = Object.fromEntries(
          fractions.map((f) => {
            const e = errors.get(f)!;
            return [f, { median: quantile(e.map(Math.abs), 0.5), p90: quantile(e.map(Math.abs), 0.9), signedMedian: quantile(e, 0.5) }];
          }),
        );
        console.log(JSON.stringify({ style, seed, markers: tile.markers.length, blurSigma: tile.style.blurSigma, byFraction }));
      }
    }
  } finally {
    await pool.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
