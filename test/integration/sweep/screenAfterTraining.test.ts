// The automatic screen distillation (issue #19) end to end, through the real MicraApp and compute
// process at tiny sizes (32² crops of 128² generated SEM images): a training run that ends 'ready'
// starts one 'screenDistill' job; once it is done the model's folder holds the screen and its card
// (in the manifest and in the project's models row) states the screen's threshold, target recall
// 0.99 and held-out counts; a sweep of that model then uses the screen (its run row says so) and
// gives the unscreened sweep's suggestions away from the crops the screen rules out — there a
// region can only shrink or go (the screen's recall on this image is the threshold rule's ≥ 0.99
// on held-out crops, not a guarantee of 1). A cancelled or failed training run starts no
// distillation. A corrupt screen file makes the sweep fall back to the full model, saying why,
// rather than fail.
// (sweepScreen.test.ts covers the cascade's exactness with a hand-set threshold, the setting and
// `micra sweep --no-screen`; this file does not repeat them.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobSummary } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { resolveStoredPath } from '../../../src-main/core/project/projectLayout';
import { generateSemTile, writeSemTiff, type SemTile } from '../../generators/sem';
import { suggestionRows, type SuggestionRow } from './sweepKit';
import { ask } from '../app/appTestKit';

const CROP = 32;
const SIZE = 128;

/** Whether the crop at (x, y) holds any marker pixel of the tile. */
function holdsMarker(tile: SemTile, x: number, y: number): boolean {
  for (let r = y; r < y + CROP; r++) for (let c = x; c < x + CROP; c++) if (tile.mask[r * tile.width + c]) return true;
  return false;
}

describe('the sweep screen distilled after training', () => {
  let tmp: string;
  let app: MicraApp;
  const jobs = new Map<number, JobSummary>();
  const images: Array<{ id: number; tile: SemTile }> = [];
  let classId: number;
  let modelId: number;
  let manifest: string;

  const distillJobs = () => [...jobs.values()].filter((j) => j.kind === 'screenDistill').sort((a, b) => a.id - b.id);
  const settled = (j: JobSummary | undefined) => j !== undefined && j.status !== 'running' && j.status !== 'queued';
  const until = async (what: () => boolean, ms = 240_000) => {
    const t0 = Date.now();
    while (!what()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const db = () => app.requireProject().store.db;
  const sweeps = () => app.requireProject().sweeps;
  const suggestions = (runId: number) => suggestionRows(app, runId);
  const cropScores = (runId: number) =>
    new Map((db().prepare('SELECT col, row, score FROM sweep_crops WHERE run_id = ?').all(runId) as Array<{ col: number; row: number; score: number }>).map((c) => [`${c.col},${c.row}`, c.score]));
  const runRow = (runId: number) => db().prepare('SELECT screen, screen_notice, threshold, status, error FROM sweep_runs WHERE id = ?').get(runId) as { screen: number; screen_notice: string | null; threshold: number; status: string; error: string | null };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-screen-distill-'));
    app = createNodeApp('serve');
    app.events.subscribe((event, payload) => {
      if (event === 'job.updated') jobs.set((payload as JobSummary).id, payload as JobSummary);
    });
    await app.openProject(path.join(tmp, 'project'), true);
    for (const seed of [21, 22, 23]) {
      const file = path.join(tmp, `sem${seed}.tif`);
      const tile = generateSemTile({ width: SIZE, height: SIZE, seed, markerCount: 4 });
      await writeSemTiff(file, tile);
      const outcome = await app.importFile(file);
      if (!outcome.ok) throw new Error(outcome.error);
      images.push({ id: outcome.image.id, tile });
    }
    classId = (await ask(app, 'classes.create', { name: 'Axon DAB' })).id;
    // Every crop labelled by the generator's ground truth: two images to train on, one to validate.
    for (const [k, { id, tile }] of images.entries()) {
      await ask(app, 'dataset.setSplit', { imageId: id, split: k === 1 ? 'validation' : 'train' });
      const grid = await ask(app, 'crops.grid', { imageId: id, cropSize: CROP, limit: 500, hideBackground: false });
      for (const c of grid.crops) await ask(app, 'crops.label', { imageId: id, x: c.x, y: c.y, size: CROP, classId, value: holdsMarker(tile, c.x, c.y) ? 'present' : 'absent' });
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("distils the screen after a run that ends 'ready', and the card states it", async () => {
    ({ modelId } = await ask(app, 'training.start', { epochs: 6, puRatio: 0, batchSize: 4, cropSize: CROP, seed: 3, learningRate: 3e-3 }));
    const { store } = app.requireProject();
    await until(() => store.models.get(modelId)?.status !== 'training');
    expect(store.models.get(modelId)?.status).toBe('ready');
    // One distillation, started by the run's end, done.
    await until(() => distillJobs().length > 0 && settled(distillJobs().at(-1)));
    expect(distillJobs()).toHaveLength(1);
    const job = distillJobs()[0]!;
    expect(job.status).toBe('done');

    manifest = path.join(resolveStoredPath(store.dir, store.models.get(modelId)!.dir), 'manifest.json');
    const screenDir = path.join(path.dirname(manifest), 'screen');
    expect(fs.existsSync(path.join(screenDir, 'manifest.json'))).toBe(true);
    expect(fs.readdirSync(screenDir).filter((f) => f.endsWith('.f32')).length).toBeGreaterThan(0);
    const card = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { card: { screen?: Record<string, unknown> } }).card;
    const screen = card.screen as { file: string; thresholds: number[]; targetRecall: number; recall: number[]; heldOutCrops: number; heldOutPositives: number[]; distilledOn: number; passRate: number[] };
    expect(screen.file).toBe('screen/manifest.json');
    expect(screen.targetRecall).toBe(0.99);
    expect(screen.thresholds).toHaveLength(1);
    expect(screen.thresholds[0]).toBeGreaterThanOrEqual(0);
    expect(screen.thresholds[0]).toBeLessThanOrEqual(1);
    expect(screen.recall[0]).toBeGreaterThanOrEqual(0.99);
    expect(screen.heldOutPositives[0]).toBeGreaterThan(0);
    // 48 crops in all, some background: a quarter of those scored is held out, the rest distilled on.
    expect(screen.heldOutCrops).toBeGreaterThan(0);
    expect(screen.heldOutCrops + screen.distilledOn).toBeLessThanOrEqual(3 * (SIZE / CROP) ** 2);
    expect(screen.heldOutCrops).toBe(Math.max(1, Math.round((screen.heldOutCrops + screen.distilledOn) * 0.25)));
    // The project's copy of the card (what the model card view shows) says the same.
    const stored = (await ask(app, 'models.list', {})).find((m) => m.id === modelId);
    expect(stored?.card['screen']).toEqual(screen);
  }, 600_000);

  it('sweeps the trained model with its screen, keeping the unscreened suggestions in every crop it keeps', async () => {
    const imageId = images[2]!.id;
    const [plain] = await sweeps().start({ imageIds: [imageId], modelId, workers: 2, screen: false });
    expect((await sweeps().settled(plain!.id)).status).toBe('done');
    expect(runRow(plain!.id).screen).toBe(0);
    // Read now: a later run of the same model on the image takes over the suggestions it finds again.
    const expected = suggestions(plain!.id);
    const [screened] = await sweeps().start({ imageIds: [imageId], modelId, workers: 2 });
    expect(screened!.screen).toBe(true);
    expect((await sweeps().settled(screened!.id)).status).toBe('done');
    expect(runRow(screened!.id).screen).toBe(1);

    const { threshold } = runRow(plain!.id);
    const full = cropScores(plain!.id);
    const seen = cropScores(screened!.id);
    expect([...seen.keys()].sort()).toEqual([...full.keys()].sort());
    // A crop the screen kept has the full model's score; one it ruled out a score below the
    // run's threshold (the screen's own, never counted positive).
    const ruledOut = new Set<string>();
    for (const [key, score] of seen) {
      if (Math.abs(score - (full.get(key) as number)) < 1e-5) continue;
      ruledOut.add(key);
      expect(score).toBeLessThan(threshold);
    }
    const key = (s: SuggestionRow) => [s.x, s.y, s.width, s.height, s.score].join(' ');
    // The crops (col,row) a suggestion's box overlaps: neighbouring crops' regions merge into one.
    const cropsUnder = (s: SuggestionRow) => {
      const keys: string[] = [];
      for (let c = Math.floor(s.x / CROP); c * CROP < s.x + s.width; c++) for (let r = Math.floor(s.y / CROP); r * CROP < s.y + s.height; r++) keys.push(`${c},${r}`);
      return keys;
    };
    const touchesRuledOut = (s: SuggestionRow) => cropsUnder(s).some((k) => ruledOut.has(k));
    const got = suggestions(screened!.id);
    expect(expected.length).toBeGreaterThan(0);
    const expectedByKey = new Map(expected.map((s) => [key(s), s]));
    const gotByKey = new Map(got.map((s) => [key(s), s]));
    // Away from ruled-out crops the suggestions are the unscreened ones, mask and all.
    for (const s of expected.filter((e) => !touchesRuledOut(e))) {
      const twin = gotByKey.get(key(s));
      expect(twin, `suggestion ${key(s)}, clear of ruled-out crops, is missing`).toBeDefined();
      expect(twin!.mask.equals(s.mask)).toBe(true);
    }
    // Next to a ruled-out crop a region can only shrink: the part in kept crops, not merged with
    // the ruled-out neighbour's. Nothing appears that the unscreened sweep did not find.
    const inside = (a: SuggestionRow, b: SuggestionRow) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
    const shrunk = got.filter((s) => !expectedByKey.has(key(s)));
    for (const s of shrunk) {
      expect(
        expected.some((e) => touchesRuledOut(e) && inside(s, e)),
        `screened suggestion ${key(s)} lies in no unscreened region next to a ruled-out crop`,
      ).toBe(true);
    }
    const lost = expected.filter((e) => !gotByKey.has(key(e)));
    expect(lost.every(touchesRuledOut)).toBe(true);
    console.log(
      JSON.stringify({ screenAfterTraining: { crops: full.size, ruledOut: ruledOut.size, suggestionsUnscreened: expected.length, suggestionsScreened: got.length, identical: got.length - shrunk.length, shrunk: shrunk.length, lost: lost.length } }),
    );
  }, 600_000);

  it('falls back to the full model when the screen file is corrupt', async () => {
    const screenManifest = path.join(path.dirname(manifest), 'screen', 'manifest.json');
    const weights = fs.readdirSync(path.dirname(screenManifest)).filter((f) => f.endsWith('.f32'));
    // Half a weights file: what a copy interrupted mid-write leaves.
    const victim = path.join(path.dirname(screenManifest), weights[0]!);
    const bytes = fs.readFileSync(victim);
    fs.writeFileSync(victim, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const imageId = images[2]!.id;
    const [plain] = await sweeps().start({ imageIds: [imageId], modelId, workers: 2, screen: false });
    expect((await sweeps().settled(plain!.id)).status).toBe('done');
    const expected = suggestions(plain!.id).map((s) => [s.x, s.y, s.width, s.height, s.score]);
    expect(expected.length).toBeGreaterThan(0);
    const errors = vi.spyOn(console, 'error');
    const [run] = await sweeps().start({ imageIds: [imageId], modelId, workers: 2 });
    const summary = await sweeps().settled(run!.id);
    expect(summary.status, `the sweep failed: ${runRow(run!.id).error}`).toBe('done');
    // Every crop scored by the full model, the same suggestions as without the screen.
    const full = cropScores(plain!.id);
    for (const [k, score] of cropScores(run!.id)) expect(score).toBeCloseTo(full.get(k) as number, 5);
    expect(suggestions(run!.id).map((s) => [s.x, s.y, s.width, s.height, s.score])).toEqual(expected);
    // The run says the screen was not used, and the app says why.
    expect(runRow(run!.id).screen).toBe(0);
    expect(summary.screen).toBe(false);
    const notice = errors.mock.calls.map((c) => String(c[0])).find((l) => l.includes('sweep screen'));
    expect(notice).toContain(`the sweep screen of model ${modelId} cannot be used, every crop goes through the full model`);
    expect(notice).toContain(weights[0]!);
    // …and so does the run itself, for the Review screen to show beside it.
    expect(summary.screenNotice).toContain("The model's screen cannot be used");
    expect(summary.screenNotice).toContain(weights[0]!);
    expect(runRow(run!.id).screen_notice).toBe(summary.screenNotice);
    errors.mockRestore();
  }, 600_000);

  it('starts no distillation after a cancelled training run', async () => {
    const before = distillJobs().length;
    const { jobId, modelId: cancelled } = await ask(app, 'training.start', { epochs: 50, puRatio: 0, batchSize: 1, cropSize: CROP, seed: 4, name: 'cancelled' });
    await until(() => (jobs.get(jobId)?.done ?? 0) > 0 || settled(jobs.get(jobId)));
    expect(await ask(app, 'jobs.cancel', { id: jobId })).toEqual({ cancelled: true });
    const { store } = app.requireProject();
    await until(() => store.models.get(cancelled)?.status !== 'training');
    expect(jobs.get(jobId)?.status).toBe('cancelled');
    // Longer than a distillation takes to be queued after a run's end.
    await new Promise((r) => setTimeout(r, 3000));
    expect(distillJobs()).toHaveLength(before);
    const dir = resolveStoredPath(store.dir, store.models.get(cancelled)!.dir);
    expect(fs.existsSync(path.join(dir, 'screen'))).toBe(false);
  }, 300_000);

  it('starts no distillation after a failed training run', async () => {
    const before = distillJobs().length;
    const { store } = app.requireProject();
    const { jobId, modelId: failed } = await ask(app, 'training.start', { epochs: 1, puRatio: 0, batchSize: 4, cropSize: CROP, seed: 5, name: 'failed' });
    // Every image's pixels turned to junk before the job reads its crops: the run fails in the compute process.
    const tiles = path.join(store.dir, 'tiles');
    for (const file of fs.readdirSync(tiles, { recursive: true, withFileTypes: true })) {
      if (file.isFile()) fs.writeFileSync(path.join(file.parentPath, file.name), 'not a tile');
    }
    await until(() => store.models.get(failed)?.status !== 'training');
    expect(store.models.get(failed)?.status).toBe('failed');
    await until(() => settled(jobs.get(jobId)));
    expect(jobs.get(jobId)?.status).toBe('failed');
    expect(jobs.get(jobId)?.error).toMatch(/tile .* is damaged/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(distillJobs()).toHaveLength(before);
    expect(fs.existsSync(path.join(resolveStoredPath(store.dir, store.models.get(failed)!.dir), 'screen'))).toBe(false);
  }, 300_000);
});
