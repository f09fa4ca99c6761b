// `npx tsx test/bench/featurePrepPass.ts` → JSON on stdout: the cost of one background feature
// preparation pass (featurePrep.ts, the 'prepareFeatures' job's work) in a real project when
// (almost) nothing is new — what every label burst pays — with and without the crop digest memo
// (cropDigestMemo.ts), in the same run.
// Setup: IMAGES generated SEM images of SIDE² imported into a project (one is the validation
// split), LABELS crops of the bundled default model's 256² labelled on the grid (every 20th
// present), the retrain's dataset (runDataset, 1:5 unlabelled draw) and sample sets
// (projectSampleSets) built as the job builds them, and every feature stored by a first pass on
// WORKERS workers (default 2: setup only). Then, alternating ROUNDS times: a pass without the memo
// (every crop read from the tile store and hashed, as before) and one with it (only crops the memo
// has not met). Then one more label (a crop off the grid, so new pixels) and one pass with the
// memo: it reads, hashes and computes only the new crop. Each pass opens fresh sample sets, as each job does (their pixel cache is
// per job). Reported: medians, their ratio, per-pass times, the load average.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { initBackend } from '../../src-main/core/ml/backend';
import { projectSampleSets } from '../../src-main/core/ml/dataset/projectSampleSets';
import { prepareFrozenFeatures } from '../../src-main/core/ml/training/featurePrep';
import { projectFeatureStoreRoot } from '../../src-main/core/ml/training/featureStore';
import { runDataset } from '../../src-main/core/ml/training/runDataset';
import { loadMicraNetWeights } from '../../src-main/core/ml/weights/micranetWeights';
import { RETRAIN_FROM_DECISIONS_MODE } from '../../src-shared/retrainFromDecisions';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { ask } from '../integration/app/appTestKit';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const IMAGES = env('IMAGES', 4);
const SIDE = env('SIDE', 2048);
const LABELS = env('LABELS', 200);
const ROUNDS = env('ROUNDS', 3);
const WORKERS = env('WORKERS', 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const load = [os.loadavg()];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-bench-prep-pass-'));
  const app = createNodeApp('serve');
  try {
    const projectDir = path.join(tmp, 'project');
    await app.openProject(projectDir, true);
    const imageIds: number[] = [];
    for (let k = 0; k < IMAGES; k++) {
      const file = path.join(tmp, `sem${k}.tif`);
      await writeSemTiff(file, generateSemTile({ width: SIDE, height: SIDE, seed: 700 + k }));
      const outcome = await app.importFile(file);
      if (!outcome.ok) throw new Error(outcome.error);
      imageIds.push(outcome.image.id);
      await ask(app, 'dataset.setSplit', { imageId: outcome.image.id, split: k === IMAGES - 1 ? 'validation' : 'train' });
    }
    const classId = (await ask(app, 'classes.create', { name: 'Axon DAB' })).id;
    const grids = await Promise.all(imageIds.map((imageId) => ask(app, 'crops.grid', { imageId, cropSize: 256, limit: 500, hideBackground: false })));
    const cells = grids.flatMap((g, k) => g.crops.map((c) => ({ imageId: imageIds[k] as number, x: c.x, y: c.y })));
    // Labelled in an order that spreads them over every image; the rest stay unlabelled candidates.
    const order = cells.map((c, i) => ({ c, i })).sort((a, b) => (a.i % 7) - (b.i % 7) || a.i - b.i).map((e) => e.c);
    if (order.length <= LABELS) throw new Error(`${order.length} grid crops: need more than LABELS=${LABELS}`);
    const label = async (k: number) => {
      const c = order[k] as (typeof order)[number];
      await ask(app, 'crops.label', { imageId: c.imageId, x: c.x, y: c.y, size: 256, classId, value: k % 20 === 0 ? 'present' : 'absent' });
    };
    for (let k = 0; k < LABELS; k++) await label(k);

    const backend = await initBackend('wasm');
    const { store } = app.requireProject();
    const featureStoreDir = projectFeatureStoreRoot(projectDir);
    if (featureStoreDir === null) throw new Error('no feature store');
    const scratchDir = path.join(tmp, 'scratch');

    /** One pass as the job makes it: the dataset, fresh sample sets, then preparation; timed in parts. */
    const pass = async (digestMemo: boolean, workers = 1) => {
      const t0 = performance.now();
      const dataset = await runDataset(store, { kind: 'default' }, { cropSize: undefined, defaultCropSize: 256, puRatio: 5 });
      if (!dataset.resolved) throw new Error('no base');
      const { net, card } = await loadMicraNetWeights(dataset.resolved.manifestPath);
      try {
        const t1 = performance.now();
        const sets = await projectSampleSets(projectDir, dataset.built.spec, { inChannels: net.inChannels, preprocessing: card.preprocessing, seed: 1 });
        const t2 = performance.now();
        const r = await prepareFrozenFeatures({
          net, card, mode: RETRAIN_FROM_DECISIONS_MODE, train: sets.train, validation: sets.validation, inputSize: dataset.cropSize,
          seed: 1, augment: true, featureStoreDir, scratchDir, workers, digestMemo,
        });
        const t3 = performance.now();
        load.push(os.loadavg());
        return {
          digest_memo: digestMemo, seconds: (t3 - t0) / 1000, dataset_and_model_seconds: (t1 - t0) / 1000,
          sample_sets_seconds: (t2 - t1) / 1000, preparation_seconds: (t3 - t2) / 1000, ...r,
        };
      } finally {
        net.dispose();
      }
    };

    const setup = await pass(false, WORKERS);
    const without: Array<Awaited<ReturnType<typeof pass>>> = [];
    const withMemo: Array<Awaited<ReturnType<typeof pass>>> = [];
    // The first pass with the memo fills it (every crop read and hashed once more).
    const memoFill = await pass(true);
    for (let r = 0; r < ROUNDS; r++) {
      without.push(await pass(false));
      withMemo.push(await pass(true));
    }
    // Off the grid (half a crop from its cells): pixels no earlier pass has met. (A grid crop
    // labelled now would often be one the unlabelled draw already used.)
    await ask(app, 'crops.label', { imageId: imageIds[0] as number, x: 128, y: 128, size: 256, classId, value: 'absent' });
    const oneNew = await pass(true);
    const m0 = median(without.map((p) => p.seconds));
    const m1 = median(withMemo.map((p) => p.seconds));
    console.log(
      JSON.stringify(
        {
          backend: backend.name,
          machine: { cpus: os.cpus().length, loadavg_over_run: load },
          setup: { images: IMAGES, side: SIDE, labels: LABELS, crop: 256, mode: RETRAIN_FROM_DECISIONS_MODE, rounds: ROUNDS, first_pass: setup },
          memo_fill_pass: memoFill,
          nothing_new: {
            without_memo: without,
            with_memo: withMemo,
            median_seconds_without_memo: m0,
            median_seconds_with_memo: m1,
            median_preparation_seconds_without_memo: median(without.map((p) => p.preparation_seconds)),
            median_preparation_seconds_with_memo: median(withMemo.map((p) => p.preparation_seconds)),
            ratio_without_over_with: m0 / m1,
          },
          one_new_label_with_memo: oneNew,
        },
        null,
        1,
      ),
    );
  } finally {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
