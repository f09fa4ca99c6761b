// `npx tsx scripts/sweepThreshold.ts --model M/manifest.json --crops DIR/NAME [--target 0.99] [--write]`:
// chooses a model's class threshold on what a sweep sees. The crops are a sweep's grid over
// validation images (scripts/exportSweepCrops.ts, seeds and styles that no training and no
// held-out measurement uses): every 256² grid crop, and the grid shifted by half a crop, which
// stands for the sweep's second look at a marker cut by crop borders (sweep/secondLook.ts).
// A marker counts as found at threshold t when a crop it makes positive scores ≥ t; the rule is
// the highest threshold that still finds `--target` of the markers (precisionRecall.ts
// 'targetRecall' over markers), the strictest setting before markers start to go: every
// step above the needed score only costs recall, every step below it only shows the expert more.
//
// Why not max F1 on centred validation crops (scripts/defaultModelFinish.ts): those crops hold a
// third positives and their negatives are easy; re-weighted to a sweep's prior they still chose
// 0.775 for the bundled model, at which its held-out 4,096² sweeps showed the expert 5–9 % of the
// image where stricter thresholds kept every marker (models/README.md).
//
// Scores come from the app's engine (the engine pool, every core). Prints one JSON object: the
// markers, the chosen threshold, and per threshold the markers found, the base-grid false
// positives and the markers missed (by area). --write stores the threshold in the card
// (classThresholds[0]) with the rule and its figures in provenance.metrics; the screen's card is
// unchanged (it keeps crops from min(threshold, 0.3), screenThreshold.ts keepFromScore).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { initBackend } from '../src-main/core/ml/backend';
import { createEnginePool } from '../src-main/core/ml/workerPool';
import { ModelCardSchema } from '../src-main/core/ml/weights/modelCard';
import { updateManifestCard } from '../src-main/core/ml/weights/manifestCardFile';
import { chooseThreshold, precisionRecallCurve } from '../src-main/core/metrics/precisionRecall';
import { modelInput } from './defaultModelFinish';
import { sigmoid } from '../src-main/core/ml/sigmoid';

const { values } = parseArgs({ options: { model: { type: 'string' }, crops: { type: 'string' }, target: { type: 'string', default: '0.99' }, write: { type: 'boolean', default: false } } });
if (!values.model || !values.crops) throw new Error('--model MANIFEST and --crops DIR/NAME are required');
const target = Number(values.target);
if (!(target > 0 && target <= 1)) throw new Error('--target must be in (0, 1]');

interface SweepCrops {
  cropSize: number;
  labels: number[];
  covers: number[][];
  areas: number[];
  shifted: boolean[];
}
const meta = JSON.parse(await readFile(`${values.crops}.json`, 'utf8')) as SweepCrops;
if (!meta.covers || !meta.areas || !meta.shifted) throw new Error(`${values.crops}.json has no covers/areas/shifted: export it again with scripts/exportSweepCrops.ts`);
const size = meta.cropSize;
const bytes = await readFile(`${values.crops}.u8`);
const count = meta.labels.length;
if (bytes.length !== count * size * size) throw new Error(`${values.crops}.u8 holds ${bytes.length} bytes, not ${count} crops of ${size}²`);

const manifestJson = JSON.parse(await readFile(values.model, 'utf8')) as Record<string, unknown>;
const card = ModelCardSchema.parse(manifestJson['card']);
const backend = await initBackend();
const pool = await createEnginePool({ weightsManifest: values.model, backend: backend.name });
const scores = new Float32Array(count);
const t0 = Date.now();
try {
  const chunk = pool.size * 8;
  for (let i = 0; i < count; i += chunk) {
    const inputs = Array.from({ length: Math.min(chunk, count - i) }, (_, k) => modelInput(bytes.subarray((i + k) * size * size, (i + k + 1) * size * size), card.preprocessing));
    const logits = await pool.predictBatch(inputs, size);
    logits.forEach((l, k) => (scores[i + k] = sigmoid(l[0] as number)));
    const done = i + inputs.length;
    const eta = ((Date.now() - t0) / done) * (count - done);
    process.stderr.write(`\rscored ${done}/${count} crops · ${Math.round(eta / 1000)} s left   `);
  }
} finally {
  await pool.close();
}
process.stderr.write('\n');

// Each marker's best score over the crops it makes positive; markers no crop covers cannot be found by any threshold and are left out.
const best = new Array<number>(meta.areas.length).fill(-1);
meta.covers.forEach((c, i) => c.forEach((k) => (best[k] = Math.max(best[k] as number, scores[i] as number))));
const markers = best.flatMap((s, k) => (s >= 0 ? [{ score: s, area: meta.areas[k] as number }] : []));
const curve = precisionRecallCurve(Float32Array.from(markers, (m) => m.score), new Float32Array(markers.length).fill(1));
const chosen = chooseThreshold(curve, { kind: 'targetRecall', recall: target });
if (!chosen) throw new Error('no marker in the crops: nothing to choose a threshold on');
const threshold = chosen.threshold;
const baseNegatives = meta.labels.filter((l, i) => l === 0 && !meta.shifted[i]).length;
const at = (t: number) => ({
  threshold: +t.toFixed(4),
  markersFound: markers.filter((m) => m.score >= t).length,
  baseGridFalsePositives: meta.labels.filter((l, i) => l === 0 && !meta.shifted[i] && (scores[i] as number) >= t).length,
  missedAreas: markers.filter((m) => m.score < t).map((m) => Math.round(m.area)).sort((a, b) => a - b),
});
const current = card.classThresholds[0] as number;
const table = [...new Set([0.5, 0.7, current, 0.8, 0.85, threshold, 0.9, 0.95])].sort((a, b) => a - b).map(at);
const report = {
  model: values.model,
  crops: count,
  positives: meta.labels.filter((l) => l === 1).length,
  baseGridNegatives: baseNegatives,
  markers: markers.length,
  targetRecall: target,
  threshold: +threshold.toFixed(4),
  previousThreshold: current,
  backend: backend.name,
  scoringSeconds: Math.round((Date.now() - t0) / 1000),
  table,
};
console.log(JSON.stringify(report, null, 1));

if (values.write) {
  const chosenAt = at(threshold);
  const updated = ModelCardSchema.parse({
    ...card,
    classThresholds: [threshold, ...card.classThresholds.slice(1)],
    provenance: {
      ...card.provenance,
      metrics: {
        ...card.provenance.metrics,
        // The card's test_* figures were measured at the threshold this one replaces.
        threshold_before_sweep_rule: card.provenance.metrics['threshold_before_sweep_rule'] ?? current,
        sweep_threshold_target_recall: target,
        sweep_threshold_validation_markers: markers.length,
        sweep_threshold_validation_found: chosenAt.markersFound,
        sweep_threshold_validation_base_false_positives: chosenAt.baseGridFalsePositives,
        sweep_threshold_validation_base_negatives: baseNegatives,
      },
    },
  });
  // The manifest's other fields (arrays, the screen's card) stay as they are.
  await updateManifestCard(values.model, (stored) => ({ ...stored, classThresholds: updated.classThresholds, provenance: updated.provenance }));
  console.error(`wrote threshold ${threshold} into ${values.model}`);
}
