// `npx tsx scripts/heldOutStyles.ts <manifest.json> [more manifests…]`: how well default-model
// candidates find markers in SEM styles they were never trained on. For every style family
// (the held-out ones, plus 'varied' and 'classic' for reference) it generates TILES tiles of
// SIZE² (seeds disjoint from training's), cuts them on the sweep's 256² grid, scores every crop
// with each model at its card's class threshold (after the card's preprocessing), and reports:
//   marker recall — a marker is found when a crop holding its centroid or ≥ 400 of its pixels
//                   scores at or above the threshold (also split by marker area);
//   crop precision / false-positive rate — against the crops' labels (generateSemCrops' rule).
// Every model sees the same crops in the same run. Environment: MICRA_BACKEND (default wasm),
// TILES (default 6), SIZE (default 1024), MARKERS (per tile, default 5), FAMILIES (comma list),
// RAW_OUT (a file to save per-crop scores to: the first model's, then RAW_OUT.1, … for the others). A manifest argument may end in
// `@0.87` to override its card's threshold. `--rescore raw.json@0.87` scores saved per-crop
// scores at another threshold without running a model (e.g. once a candidate's threshold is
// chosen on validation).
import { readFileSync, writeFileSync } from 'node:fs';
import { initBackend, isBackendName } from '../src-main/core/ml/backend';
import { loadMicraNetWeights } from '../src-main/core/ml/weights/micranetWeights';
import { predictProbabilities } from '../src-main/core/ml/evaluation/predictProbabilities';
import { applyPreprocessing } from '../src-main/core/ml/preprocess';
import { isSemStyleFamily } from '../test/generators/sem/semStyle';
import { CROP, cutHeldOutTiles, type Crop } from './heldOutCrops';

const AREA_BUCKETS: Array<[string, number, number]> = [
  ['<3k', 0, 3000],
  ['3k-8k', 3000, 8000],
  ['>8k', 8000, Infinity],
];

const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/** What scoring needs of one family: per-crop probability, label and markers found, marker areas. */
interface RawFamily {
  family: string;
  probs: number[];
  labels: Array<0 | 1>;
  covers: number[][];
  areas: number[];
}

function score(raw: RawFamily, threshold: number): Record<string, unknown> {
  const found = new Set<number>();
  let tp = 0;
  let fp = 0;
  let negatives = 0;
  raw.probs.forEach((p, i) => {
    if (raw.labels[i] === 0) negatives++;
    if (p < threshold) return;
    if (raw.labels[i] === 1) tp++;
    else fp++;
    for (const k of raw.covers[i] ?? []) found.add(k);
  });
  const byArea = Object.fromEntries(
    AREA_BUCKETS.map(([name, lo, hi]) => {
      const ids = raw.areas.map((a, k) => [a, k] as const).filter(([a]) => a >= lo && a < hi);
      return [name, `${ids.filter(([, k]) => found.has(k)).length}/${ids.length}`];
    }),
  );
  return {
    markerRecall: found.size / raw.areas.length,
    found: found.size,
    markers: raw.areas.length,
    byArea,
    suggestions: tp + fp,
    cropPrecision: tp + fp > 0 ? tp / (tp + fp) : null,
    falsePositiveRate: negatives > 0 ? fp / negatives : null,
    crops: raw.probs.length,
  };
}

function report(manifest: string, threshold: number, raws: RawFamily[]): Record<string, unknown> {
  const perFamily: Record<string, Record<string, unknown>> = {};
  let heldFound = 0;
  let heldMarkers = 0;
  for (const raw of raws) {
    const r = score(raw, threshold);
    perFamily[raw.family] = r;
    if (raw.family.startsWith('heldout-')) {
      heldFound += r['found'] as number;
      heldMarkers += r['markers'] as number;
    }
    console.log(JSON.stringify({ manifest, threshold, family: raw.family, ...r }));
  }
  return { manifest, threshold, heldOutMarkerRecall: heldMarkers ? heldFound / heldMarkers : null, heldOutMarkers: `${heldFound}/${heldMarkers}`, perFamily };
}

function splitThreshold(arg: string): [string, number | null] {
  const at = arg.lastIndexOf('@');
  return at < 0 ? [arg, null] : [arg.slice(0, at), Number(arg.slice(at + 1))];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--rescore') {
    const [file, threshold] = splitThreshold(args[1] ?? '');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { manifest: string; threshold: number; raws: RawFamily[] };
    console.log(JSON.stringify({ event: 'summary', results: [report(saved.manifest, threshold ?? saved.threshold, saved.raws)] }));
    return;
  }
  if (args.length === 0) throw new Error('usage: heldOutStyles.ts <manifest.json[@threshold]> […] | --rescore raw.json@threshold');
  const requested = process.env['MICRA_BACKEND'] ?? 'wasm';
  await initBackend(isBackendName(requested) ? requested : 'wasm');
  const families = (process.env['FAMILIES'] ?? 'heldout-crowded,heldout-soft,heldout-pale,varied,classic').split(',');
  const data = families.map((f) => {
    if (!isSemStyleFamily(f)) throw new Error(`unknown style family ${f}`);
    return cutHeldOutTiles(f, num('TILES', 6), num('SIZE', 1024), num('MARKERS', 5));
  });
  const results: Record<string, unknown>[] = [];
  const saved: unknown[] = [];
  for (const arg of args) {
    const [manifest, override] = splitThreshold(arg);
    const { net, card } = await loadMicraNetWeights(manifest);
    const threshold = override ?? card.classThresholds[0] ?? 0.5;
    const raws: RawFamily[] = [];
    for (const d of data) {
      const probs = await predictProbabilities(net, { count: d.crops.length, get: async (i) => ({ pixels: applyPreprocessing(Float32Array.from((d.crops[i] as Crop).pixels), card.preprocessing), targets: Float32Array.of(0), weights: Float32Array.of(1) }) }, CROP);
      raws.push({ family: d.family, probs: Array.from(probs), labels: d.crops.map((c) => c.label), covers: d.crops.map((c) => c.covers), areas: d.markers.map((m) => m.area) });
    }
    net.dispose();
    results.push(report(manifest, threshold, raws));
    saved.push({ manifest, threshold, raws });
  }
  const rawOut = process.env['RAW_OUT'];
  // One file per model: RAW_OUT itself for the first, RAW_OUT.1, RAW_OUT.2… for the others.
  if (rawOut) saved.forEach((one, i) => writeFileSync(i === 0 ? rawOut : `${rawOut}.${i}`, JSON.stringify(one)));
  console.log(JSON.stringify({ event: 'summary', results }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
