// The screening cascade (issue #19) through the real app and compute process. The default model
// with its distilled screen, the screen's threshold set by the threshold rule at recall 1 on this
// generated image's crops (so it keeps every crop the full model calls positive: exact here), gives the same suggestions — boxes,
// scores, masks — as the sweep without it, while crops it rules out are never scored by the full
// model (their recorded score is the screen's, below the run's threshold). The run records
// whether it was screened; the project setting (sweep.screen) and `micra sweep --no-screen` turn
// the screen off.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweepCommand } from '../../../src-main/cli/commands/sweepCommand';
import { readRegion } from '../../../src-main/core/imaging/regionReader';
import { applyPreprocessing } from '../../../src-main/core/ml/preprocess';
import { initBackend } from '../../../src-main/core/ml/backend';
import { writeScreenCard } from '../../../src-main/core/ml/screen/screenCardFile';
import { chooseScreenThreshold } from '../../../src-main/core/ml/screen/screenThreshold';
import { loadScreen } from '../../../src-main/core/ml/screen/screenWeights';
import { screenLogits } from '../../../src-main/core/ml/screen/distillScreen';
import { rasterToModelInput } from '../../../src-main/core/ml/sweep/cropPixels';
import { gridCrops, spreadOrder, sweepGrid } from '../../../src-main/core/ml/sweep/sweepGrid';
import { journalPath, readJournal } from '../../../src-main/core/ml/sweep/sweepJournal';
import { readModelCard } from '../../../src-main/core/review/sweepModel';
import { capturedConsole } from '../app/appTestKit';
import { REPO, suggestionRows, sweepProject, type SweepProject } from './sweepKit';

const SIZE = 256;
const { out } = capturedConsole();

describe('sweep with a screen', () => {
  let p: SweepProject;
  let model: string;
  beforeAll(async () => {
    await initBackend('wasm');
    p = await sweepProject({ width: 1024, height: 1024, seed: 11, markerCount: 5 });
    // The default model and its distilled screen, in a folder of the test's own (its card is rewritten).
    const dir = path.join(p.tmp, 'model');
    fs.cpSync(path.join(REPO, 'models', 'default'), dir, { recursive: true });
    model = path.join(dir, 'manifest.json');
    await writeScreenCard(model, null);
  }, 120_000);
  afterAll(async () => {
    await p?.cleanup();
  });

  const service = () => p.app.requireProject().sweeps;
  const db = () => p.app.requireProject().store.db;
  const suggestions = (runId: number) => suggestionRows(p.app, runId);
  const crops = (runId: number) => new Map((db().prepare('SELECT col, row, score FROM sweep_crops WHERE run_id = ?').all(runId) as Array<{ col: number; row: number; score: number }>).map((c) => [`${c.col},${c.row}`, c.score]));

  it('gives the unscreened suggestions while the full model skips the crops it rules out; the setting turns it off', async () => {
    // 1. Without a screen: the full model's score of every crop, and the suggestions.
    const [plain] = await service().start({ imageIds: [p.imageId], manifestPath: model, workers: 2 });
    expect(plain!.screen).toBe(false);
    expect((await service().settled(plain!.id)).status).toBe('done');
    const full = crops(plain!.id);
    const expected = suggestions(plain!.id);
    expect(expected.length).toBeGreaterThan(0);
    const { threshold } = db().prepare('SELECT threshold FROM sweep_runs WHERE id = ?').get(plain!.id) as { threshold: number };

    // 2. The model's screen, its threshold set so that it keeps every positive crop of this image.
    const card = await readModelCard(model);
    const image = p.app.requireProject().store.images.get(p.imageId)!;
    const grid = gridCrops(sweepGrid(1024, 1024, SIZE, SIZE), 1024, 1024);
    const inputs = await Promise.all(
      grid.map(async (c) => applyPreprocessing(rasterToModelInput(await readRegion(p.projectDir, { id: image.id, width: 1024, height: 1024, bitsPerSample: 8, channels: 1, tileSize: image.tile_size }, 0, c), SIZE, 1), card.preprocessing)),
    );
    const screen = await loadScreen(path.join(path.dirname(model), 'screen', 'manifest.json'));
    const probs = (await screenLogits(screen, inputs, SIZE, 1)).map((l) => 1 / (1 + Math.exp(-(l[0] as number))));
    const positive = grid.map((c) => (full.get(`${c.col},${c.row}`) as number) >= threshold);
    expect(positive.some(Boolean)).toBe(true);
    const choice = chooseScreenThreshold(probs, positive, 1)!;
    expect(choice.recall).toBe(1);
    // Some crop must be ruled out, or this test shows nothing.
    expect(choice.passRate).toBeLessThan(1);
    await writeScreenCard(model, {
      file: 'screen/manifest.json', thresholds: [choice.threshold], targetRecall: 1, recall: [1], passRate: [choice.passRate],
      heldOutCrops: grid.length, heldOutPositives: [choice.positives], distilledOn: 0, trainer: 'test', seed: 5, distilledAt: new Date().toISOString(),
    });
    screen.dispose();
    // The setting's answer says whether the model a sweep would use now has a screen.
    p.app.requireProject().store.settings.setActiveModelId(plain!.modelId);
    expect(await p.app.handlers['sweep.screen']({})).toEqual({ enabled: true, modelHasScreen: true });

    // 3. Screened (the default when the model has a screen): the same suggestions.
    const [screened] = await service().start({ imageIds: [p.imageId], manifestPath: model, workers: 2 });
    expect(screened!.screen).toBe(true);
    expect((await service().settled(screened!.id)).status).toBe('done');
    expect((db().prepare('SELECT screen FROM sweep_runs WHERE id = ?').get(screened!.id) as { screen: number }).screen).toBe(1);
    const got = suggestions(screened!.id);
    expect(got.map((r) => [r.x, r.y, r.width, r.height, r.score])).toEqual(expected.map((r) => [r.x, r.y, r.width, r.height, r.score]));
    got.forEach((r, i) => expect(r.mask.equals(expected[i]!.mask)).toBe(true));
    // Kept crops carry the full model's score; ruled-out ones the screen's, below the threshold.
    const scored = crops(screened!.id);
    let ruledOut = 0;
    grid.forEach((c, i) => {
      const key = `${c.col},${c.row}`;
      if ((probs[i] as number) >= choice.threshold) expect(scored.get(key)).toBeCloseTo(full.get(key) as number, 5);
      else {
        ruledOut++;
        expect(scored.get(key)).toBeCloseTo(Math.min(probs[i] as number, threshold - 1e-6), 5);
        expect(scored.get(key)).toBeLessThan(threshold);
      }
    });
    expect(ruledOut).toBe(Math.round((1 - choice.passRate) * grid.length));
    // The screen settled its crops first (one chunk here), then the full model took the kept ones
    // in the unscreened sweep's order.
    const journal = (await readJournal(journalPath(p.projectDir, screened!.id))).crops.map((c) => `${c.col},${c.row}`);
    const probOf = new Map(grid.map((c, i) => [`${c.col},${c.row}`, probs[i] as number]));
    const keptInJournal = journal.filter((key) => (probOf.get(key) as number) >= choice.threshold);
    expect(keptInJournal).toEqual(spreadOrder(grid).map((c) => `${c.col},${c.row}`).filter((key) => (probOf.get(key) as number) >= choice.threshold));
    expect(journal.slice(0, ruledOut).every((key) => (probOf.get(key) as number) < choice.threshold)).toBe(true);

    // 4. The project setting off: every crop through the full model again.
    expect(await p.app.handlers['sweep.screen']({ enabled: false })).toMatchObject({ enabled: false });
    const [off] = await service().start({ imageIds: [p.imageId], manifestPath: model, workers: 2 });
    expect(off!.screen).toBe(false);
    expect((await service().settled(off!.id)).status).toBe('done');
    const offScores = crops(off!.id);
    for (const [key, score] of full) expect(offScores.get(key)).toBeCloseTo(score, 5);
    expect(await p.app.handlers['sweep.screen']({ enabled: true })).toMatchObject({ enabled: true });
  }, 600_000);

  it('micra sweep screens by default and not with --no-screen', async () => {
    await p.app.close();
    const args = ['--project', p.projectDir, '--image', String(p.imageId), '--model', model, '--workers', '2', '--restart', '--quiet'];
    expect(await runSweepCommand([...args, '--no-screen'])).toBe(0);
    expect(await runSweepCommand(args)).toBe(0);
    const runs = out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => 'resumed' in l);
    expect(runs.map((r) => r['screen'])).toEqual([false, true]);
    await p.app.openProject(p.projectDir, false);
    const rows = db().prepare('SELECT id, screen FROM sweep_runs ORDER BY id DESC LIMIT 2').all() as Array<{ id: number; screen: number }>;
    expect(rows.map((r) => r.screen)).toEqual([1, 0]);
    expect(rows.map((r) => r.id)).toEqual([runs[1]!['run'], runs[0]!['run']]);
  }, 600_000);
});
