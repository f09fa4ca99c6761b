// `npm run bench:sweep [-- --size 10240 --seed 9001 --workers N --model PATH]`: sweeps a synthetic SEM image
// (generateSemTile, a held-out seed) through the real app (import, then the sweep job in the
// compute process) with the default model (models/default/manifest.json) or, until it exists,
// the reference fixture's weights; prints one JSON object:
//   - sweep time vs the PyTorch baseline on the same workload (same crop count and size, same
//     number of Grad-CAM'd positives; test/bench/pytorch/sweep_baseline.py), same run;
//   - time to the first suggestion event;
//   - quality vs the ground truth: recall of markers (a marker is found when a suggestion box
//     holds its centroid or has IoU ≥ 0.1 with its box), the fraction of the image the expert
//     is shown (union of suggestion context rectangles: the box grown by half its size on every
//     side, at least 256 px square), and the mask IoU of matched suggestions;
//   - the same recall / shown-fraction pair for stricter thresholds than the model's (keeping
//     only suggestions scoring at least t): the trade-off an expert would get from them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { sweepServiceFor } from '../../src-main/core/app/handlers/reviewHandlers';
import { reviewItemsOfImage } from '../../src-main/core/review/reviewItems';
import { clipRect, unionArea, type Rect } from '../../src-main/core/review/rectUnion';
import { generateSemTile, writeSemTiff } from '../generators/sem';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { size: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, model: { type: 'string' } } });
const size = Number(values.size ?? 10240);
const seed = Number(values.seed ?? 9001);
const workers = values.workers === undefined ? undefined : Number(values.workers);

const defaultModel = path.join(REPO, 'models/default/manifest.json');
const model = values.model ? path.resolve(values.model) : fs.existsSync(defaultModel) ? defaultModel : path.resolve(REPO, '../shared/fixtures/micranet-reference/manifest.json');

function boxIou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[0]! + a[2]!, b[0]! + b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[1]! + a[3]!, b[1]! + b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  return inter / (a[2]! * a[3]! + b[2]! * b[3]! - inter);
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-bench-sweep-'));
  const app = createNodeApp('serve');
  try {
    const tile = generateSemTile({ width: size, height: size, seed });
    const tiff = path.join(tmp, 'sem.tif');
    await writeSemTiff(tiff, tile);
    await app.openProject(path.join(tmp, 'project'), true);
    const tImport = performance.now();
    const imported = await app.importFile(tiff);
    if (!imported.ok) throw new Error(imported.error);
    const importSeconds = (performance.now() - tImport) / 1000;
    const imageId = imported.image.id;

    const service = sweepServiceFor(app);
    let firstSuggestionMs: number | null = null;
    const t0 = performance.now();
    app.events.subscribe((event) => {
      if (event === 'review.suggestions' && firstSuggestionMs === null) firstSuggestionMs = performance.now() - t0;
    });
    const [run] = await service.start({ imageIds: [imageId], manifestPath: model, workers });
    const done = await service.settled(run!.id);
    const sweepSeconds = (performance.now() - t0) / 1000;
    if (done.status !== 'done') throw new Error(`sweep ${done.status}: ${done.error}`);
    const { store } = app.requireProject();
    const { threshold } = store.db.prepare('SELECT threshold FROM sweep_runs WHERE id = ?').get(run!.id) as { threshold: number };
    const crops = store.db.prepare('SELECT count(*) AS n, sum(score IS NULL) AS bg, sum(score >= ?) AS pos FROM sweep_crops WHERE run_id = ?').get(threshold, run!.id) as { n: number; bg: number; pos: number };

    const items = reviewItemsOfImage(store, imageId);
    // Quality against the ground truth.
    const isFound = (m: (typeof tile.markers)[number], among: typeof items) =>
      among.some((s) => {
        const [x, y, w, h] = s.box;
        return (m.cx >= x && m.cx < x + w && m.cy >= y && m.cy < y + h) || boxIou(s.box, m.box) >= 0.1;
      });
    const shownFraction = (among: typeof items) => {
      const context: Rect[] = among.flatMap((s) => {
        const [x, y, w, h] = s.box;
        const cw = Math.max(256, 2 * w);
        const ch = Math.max(256, 2 * h);
        return clipRect({ x: x + w / 2 - cw / 2, y: y + h / 2 - ch / 2, width: cw, height: ch }, size, size) ?? [];
      });
      return unionArea(context) / (size * size);
    };
    const found = tile.markers.filter((m) => isFound(m, items));
    const scores = [...new Set(items.map((s) => s.score ?? 0))].sort((a, b) => a - b);
    const curve = [0, 0.25, 0.5, 0.75, 0.9].map((q) => {
      const t = scores[Math.floor(q * (scores.length - 1))] ?? 1;
      const kept = items.filter((s) => (s.score ?? 0) >= t);
      return { threshold: +t.toFixed(4), suggestions: kept.length, recall: tile.markers.length ? tile.markers.filter((m) => isFound(m, kept)).length / tile.markers.length : null, shownFraction: shownFraction(kept) };
    });
    const ious = items.flatMap((s) => {
      const m = tile.markers.find((mk) => mk.cx >= s.box[0] && mk.cx < s.box[0] + s.box[2] && mk.cy >= s.box[1] && mk.cy < s.box[1] + s.box[3]);
      if (!m) return [];
      const x0 = Math.min(s.box[0], m.box[0]);
      const y0 = Math.min(s.box[1], m.box[1]);
      const x1 = Math.max(s.box[0] + s.box[2], m.box[0] + m.box[2]);
      const y1 = Math.max(s.box[1] + s.box[3], m.box[1] + m.box[3]);
      let inter = 0;
      let union = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          const inS = x >= s.region.x && y >= s.region.y && x < s.region.x + s.region.width && y < s.region.y + s.region.height && s.region.mask[(y - s.region.y) * s.region.width + (x - s.region.x)] === 1;
          const inT = tile.mask[y * size + x] === 1;
          if (inS && inT) inter++;
          if (inS || inT) union++;
        }
      return [inter / union];
    });
    const meanIou = ious.length ? ious.reduce((a, b) => a + b, 0) / ious.length : null;

    const sweptCrops = crops.n - (crops.bg ?? 0);
    const baseline = JSON.parse(
      execFileSync('/usr/bin/python3', [path.join(REPO, 'test/bench/pytorch/sweep_baseline.py'), '--size', String(done.cropSize), '--crops', String(sweptCrops), '--positives', String(crops.pos ?? 0), '--threads', String(os.availableParallelism())], { encoding: 'utf8', maxBuffer: 1 << 20 }),
    ) as { totalSeconds: number };

    console.log(
      JSON.stringify(
        {
          image: { size, seed, markers: tile.markers.length },
          model: path.relative(path.resolve(REPO, '..'), model),
          cropSize: done.cropSize,
          crops: { total: crops.n, background: crops.bg ?? 0, positive: crops.pos ?? 0 },
          importSeconds,
          sweepSeconds,
          firstSuggestionSeconds: firstSuggestionMs === null ? null : firstSuggestionMs / 1000,
          pytorchBaselineSeconds: baseline.totalSeconds,
          ratioToPytorch: sweepSeconds / baseline.totalSeconds,
          suggestions: items.length,
          recall: tile.markers.length ? found.length / tile.markers.length : null,
          shownFraction: shownFraction(items),
          threshold,
          stricterThresholds: curve,
          maskIou: { mean: meanIou, matched: ious.length },
          targets: { ratioToPytorch: 2.5, firstSuggestionSeconds: 10, recall: 0.95, shownFraction: 0.05 },
        },
        null,
        2,
      ),
    );
  } finally {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
