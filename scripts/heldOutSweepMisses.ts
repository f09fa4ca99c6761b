// `npx tsx scripts/heldOutSweepMisses.ts [--size 4096] [--seeds 9101] [--styles a,b] [--model M]`:
// why a sweep misses markers. Generates the same synthetic SEM images as test/bench/sweep.ts
// (generateSemTile at the seed and style), scores every crop of the sweep's 256² grid with the
// model (after its card's preprocessing, like the sweep) and prints, as JSON lines:
//   - per marker: its area; every grid crop holding part of it (pixels of the marker inside,
//     whether its centroid is inside, the crop's score); the score of a crop centred on the
//     marker; the score of the "second look" a grid crop would give it (a crop centred on the
//     grid crop's block-4b map peak nearest the marker); the threshold that would have caught it
//     from the grid alone (its best grid crop's score);
//   - per image: grid crop count, positives at the card's threshold, and for every "catch"
//     threshold the share of grid crops that would then be positive (the shown-fraction cost),
//     plus how many crops fall in bands just under the card's threshold (the second look's cost).
import { parseArgs } from 'node:util';
import { initBackend } from '../src-main/core/ml/backend';
import { applyPreprocessing } from '../src-main/core/ml/preprocess';
import { upsampleNearest, type ScalarMap } from '../src-main/core/ml/explain/scalarMap';
import { objectCandidates } from '../src-main/core/ml/postprocess/objectMask';
import { centredPlacement } from '../src-main/core/ml/sweep/objectSweep';
import { gridCrops, sweepGrid } from '../src-main/core/ml/sweep/sweepGrid';
import { loadMicraNetWeights } from '../src-main/core/ml/weights/micranetWeights';
import { createEnginePool } from '../src-main/core/ml/workerPool';
import { generateSemTile, isSemStyleFamily, type SemMarker } from '../test/generators/sem';
import { sigmoid } from '../src-main/core/ml/sigmoid';

const CROP = 256;
/** The lowest grid score whose crop gets a second look in this report. */
const BAND_FLOOR = 0.1;
const { values } = parseArgs({ options: { size: { type: 'string' }, seeds: { type: 'string' }, styles: { type: 'string' }, model: { type: 'string' } } });
const size = Number(values.size ?? 4096);
const seeds = (values.seeds ?? '9101').split(',').map(Number);
const styles = (values.styles ?? 'heldout-crowded,heldout-soft,heldout-pale,varied,classic').split(',');
const model = values.model ?? 'models/default/manifest.json';


/** Marker pixels inside the rectangle (the mask is the union of markers; boxes rarely overlap). */
function pixelsInside(m: SemMarker, mask: Uint8Array, x: number, y: number, w: number, h: number): number {
  const [bx, by, bw, bh] = m.box;
  let n = 0;
  for (let yy = Math.max(y, by); yy < Math.min(y + h, by + bh); yy++)
    for (let xx = Math.max(x, bx); xx < Math.min(x + w, bx + bw); xx++) if (mask[yy * size + xx]) n++;
  return n;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const { net, card } = await loadMicraNetWeights(model);
  net.dispose();
  const threshold = card.classThresholds[0] ?? 0.5;
  const pool = await createEnginePool({ weightsManifest: model, backend: backend.name });
  const input = (pixels: Uint8Array, x: number, y: number): Float32Array => {
    const out = new Float32Array(CROP * CROP);
    for (let j = 0; j < CROP; j++) for (let i = 0; i < CROP; i++) out[j * CROP + i] = (pixels[(y + j) * size + x + i] as number) / 255;
    return applyPreprocessing(out, card.preprocessing);
  };
  try {
    for (const style of styles) {
      if (!isSemStyleFamily(style)) throw new Error(`unknown style ${style}`);
      for (const seed of seeds) {
        const tile = generateSemTile({ width: size, height: size, seed, style });
        const crops = gridCrops(sweepGrid(size, size, CROP, CROP), size, size);
        const scored: Array<{ logits: Float32Array; cam: ScalarMap }> = [];
        for (let s = 0; s < crops.length; s += 32) scored.push(...(await pool.predictWithCamBatch(crops.slice(s, s + 32).map((c) => input(tile.pixels, c.x, c.y)), CROP, 0)));
        const scores = scored.map((r) => sigmoid(r.logits[0] as number));
        const image = { width: size, height: size };
        const scoreAt = async (cx: number, cy: number) => {
          const p = centredPlacement(cx, cy, CROP, image);
          const [r] = await pool.predictWithCamBatch([input(tile.pixels, p.x, p.y)], CROP, 0);
          return sigmoid(r!.logits[0] as number);
        };
        const catchAt: number[] = [];
        for (const [k, m] of tile.markers.entries()) {
          const holding = crops.flatMap((c, i) => {
            const n = pixelsInside(m, tile.mask, c.x, c.y, c.width, c.height);
            return n > 0 ? [{ i, x: c.x, y: c.y, pixels: n, centroid: m.cx >= c.x && m.cx < c.x + CROP && m.cy >= c.y && m.cy < c.y + CROP, score: +(scores[i] as number).toFixed(4) }] : [];
          });
          // Second look: the grid crop's own map peak nearest the marker, re-scored centred.
          const looks = [];
          for (const h of holding) {
            const map = upsampleNearest((scored[h.i] as { cam: ScalarMap }).cam, CROP, CROP);
            const peaks = objectCandidates(map).map((p) => ({ x: h.x + p.x, y: h.y + p.y }));
            const near = peaks.sort((a, b) => (a.x - m.cx) ** 2 + (a.y - m.cy) ** 2 - ((b.x - m.cx) ** 2 + (b.y - m.cy) ** 2))[0];
            looks.push(near ? { crop: h.i, peak: [near.x, near.y], peakDistance: Math.round(Math.hypot(near.x - m.cx, near.y - m.cy)), score: +(await scoreAt(near.x, near.y)).toFixed(4) } : { crop: h.i, peak: null });
          }
          const best = Math.max(...holding.map((h) => h.score));
          catchAt.push(best);
          console.log(JSON.stringify({ style, seed, marker: k, area: m.area, centre: [Math.round(m.cx), Math.round(m.cy)], found: best >= threshold, catchThreshold: best, centredScore: +(await scoreAt(m.cx, m.cy)).toFixed(4), holding, secondLook: looks }));
        }
        // Every grid crop in the band under the threshold, with or without a marker: what a
        // second look there would score (its false positives are the second look's cost).
        const bandLooks = [];
        for (const [i, c] of crops.entries()) {
          const s = scores[i] as number;
          if (s < BAND_FLOOR || s >= threshold) continue;
          const holdsMarker = tile.markers.some((m) => pixelsInside(m, tile.mask, c.x, c.y, c.width, c.height) > 0);
          const map = upsampleNearest((scored[i] as { cam: ScalarMap }).cam, CROP, CROP);
          const looks = [];
          for (const p of objectCandidates(map)) looks.push(+(await scoreAt(c.x + p.x, c.y + p.y)).toFixed(4));
          bandLooks.push({ crop: i, gridScore: +s.toFixed(4), holdsMarker, looks });
        }
        const positiveShare = (t: number) => +(scores.filter((s) => s >= t).length / scores.length).toFixed(4);
        const band = (lo: number) => scores.filter((s) => s >= lo && s < threshold).length;
        console.log(
          JSON.stringify({
            style,
            seed,
            threshold,
            crops: scores.length,
            positives: scores.filter((s) => s >= threshold).length,
            positiveShare: positiveShare(threshold),
            missed: catchAt.filter((c) => c < threshold).length,
            costToCatchAll: { threshold: Math.min(...catchAt), positiveShare: positiveShare(Math.min(...catchAt)) },
            bandLooks,
            bandUnderThreshold: Object.fromEntries([0.05, 0.1, 0.2, 0.3, 0.5, 0.7].map((lo) => [lo, band(lo)])),
          }),
        );
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
