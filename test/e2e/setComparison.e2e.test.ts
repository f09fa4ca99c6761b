// Several experts and several images in Chromium (issue 15): two synthetic SEM images imported
// through the app, two experts' marker CSVs (written by Python's csv module) imported into sets
// on both, and a finished sweep run on each stored as the sweep stores it (seedSweepRun: the
// figures are about boxes and markers). In the Measure screen the per-image and per-project
// table and its curve equal `micra evaluate-detections --all-images`'s JSON; the agreement
// table between the experts equals `micra annotations agreement`'s, on one image and on all.
// In the viewer a set is deleted after a confirmation that counts the training crop labels made
// from it: its layer leaves the canvas, its rows leave the database, the labels stay.
// Screenshots: test-output/e2e/set-comparison.png.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { importAnnotations } from '../../src-main/core/annotations/sets/importAnnotations';
import { markerCrops } from '../../src-main/core/annotations/sets/markerCrops';
import { openProjectStore } from '../../src-main/core/project/projectStore';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { writeCsvWithPython } from '../unit/annotations/sets/pythonFiles';
import { seedSweepRun } from '../unit/evaluation/seedSweepRun';
import { captureCanvas, waitForTiles } from './support/canvasPixels';
import { endE2eSession, openProjectInPage, screenshotDir, startE2eSession } from './support/e2eSession';
import { repoRoot, type ServedApp } from './support/servedApp';
import { dbRows } from './support/viewerProject';

const W = 768;
const H = 512;
let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
const ids: number[] = [];

async function micraJson(args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'src-main/cli/main.ts', ...args], { cwd: repoRoot });
  return JSON.parse(stdout.trim()) as unknown;
}

/** The colour at image point (x, y) at scale 2, the point centred: [r, g, b]. */
async function colourAt(x: number, y: number): Promise<[number, number, number]> {
  await page.evaluate(([cx, cy]) => window.__micraViewer!.setView(cx!, cy!, 2), [x, y]);
  await waitForTiles(page);
  const shot = await captureCanvas(page);
  const i = (Math.floor(shot.height / 2) * shot.width + Math.floor(shot.width / 2)) * 3;
  return [shot.rgb[i]!, shot.rgb[i + 1]!, shot.rgb[i + 2]!];
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-compare-e2e-', projectName: 'Experts', viewport: { width: 1600, height: 1000 } }));
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, true);
    for (const seed of [3, 4]) {
      const tiff = join(workDir, `sem-${seed}.tif`);
      await writeSemTiff(tiff, generateSemTile({ width: W, height: H, seed, markerCount: 3 }));
      const outcome = await app.importFile(tiff);
      if (!outcome.ok) throw new Error(outcome.error);
      ids.push(outcome.image.id);
    }
  } finally {
    await app.close();
  }
  const [a, b] = ids as [number, number];
  // Ann and Bob on image a: (100,100)~(130,100) match, (300,200)~(300,280) too far, Bob's (650,450) alone.
  // On image b: Ann (400,300), Bob (420,310): one match.
  const files: Array<[string, number, Array<[number, number]>]> = [
    ['ann', a, [[100, 100], [300, 200], [600, 400]]],
    ['bob', a, [[130, 100], [300, 280], [650, 450]]],
    ['ann', b, [[400, 300]]],
    ['bob', b, [[420, 310]]],
  ];
  const store = openProjectStore(projectDir, { create: false });
  try {
    for (const [set, imageId, pts] of files) {
      const csv = join(workDir, `${set}-${imageId}.csv`);
      writeCsvWithPython(csv, [['x', 'y', 'class'], ...pts.map(([x, y]) => [x, y, 'Axon'])]);
      importAnnotations(store, { imageId, setName: set, file: csv, units: 'px', actor: set });
    }
    // Image a: a box holding (100,100), one holding nothing. Image b: a box holding (400,300).
    seedSweepRun(store, a, 0.5, [{ box: [80, 80, 40, 40], score: 0.9 }, { box: [400, 50, 30, 30], score: 0.7 }]);
    seedSweepRun(store, b, 0.5, [{ box: [380, 280, 40, 40], score: 0.8 }]);
    // Training crops from Bob's markers on image a: the deletion must keep them.
    markerCrops(store, { imageId: a, setName: 'bob', cropSize: 256, ratio: 0, seed: 1, actor: 'bob' });
  } finally {
    store.close();
  }
  await openProjectInPage({ page, served, projectDir });
  await page.getByTestId('mode-measure').click();
  await page.getByTestId(`image-item-${a}`).locator('button').first().click();
  await page.getByTestId('evaluate-set').waitFor();
}, 180_000);

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('comparing sets in Chromium', () => {
  it('shows the per-image and per-project table and curve that `evaluate-detections --all-images` prints', async () => {
    await expect.poll(() => page.getByTestId('project-truth').inputValue()).toBe('ann');
    await page.getByTestId('project-evaluate').click();
    const table = page.getByTestId('project-evaluation-table');
    await table.waitFor();
    const cli = (await micraJson(['evaluate-detections', '--project', projectDir, '--all-images', '--truth', 'ann'])) as {
      images: Array<{ imageId: number; recall: number; precision: number }>;
      totals: { recall: number; precision: number; shownFraction: number; images: number };
      curve: Array<{ threshold: number; shownFraction: number; recall: number }>;
    };
    // Hand-computed: image a finds 1 of 3 with 1 of 2 boxes right; image b 1 of 1 with 1 of 1.
    expect(cli.totals).toMatchObject({ images: 2, recall: 0.5, precision: 2 / 3 });
    expect(Number(await table.getAttribute('data-recall'))).toBe(cli.totals.recall);
    expect(Number(await table.getAttribute('data-precision'))).toBe(cli.totals.precision);
    expect(Number(await table.getAttribute('data-shown'))).toBe(cli.totals.shownFraction);
    const rows = page.getByTestId('project-evaluation-row');
    expect(await rows.count()).toBe(2);
    for (const [i, r] of cli.images.entries()) {
      expect(Number(await rows.nth(i).getAttribute('data-image'))).toBe(r.imageId);
      expect(Number(await rows.nth(i).getAttribute('data-recall'))).toBe(r.recall);
      expect(Number(await rows.nth(i).getAttribute('data-precision'))).toBe(r.precision);
    }
    expect(await page.getByTestId('project-evaluation-totals').textContent()).toContain('0.500');
    const plot = page.getByTestId('project-evaluation').getByTestId('recall-shown-plot');
    await plot.locator('canvas').first().waitFor();
    const drawn = JSON.parse((await plot.getAttribute('data-curve')) ?? '[]') as number[][];
    // Thresholds 0.9, 0.8, 0.7: three distinct shares shown, the CLI's points in order of share.
    expect(drawn).toEqual(cli.curve.map((p) => [p.threshold, p.shownFraction, p.recall]).sort((x, y) => x[1]! - y[1]!));
  }, 120_000);

  it('shows the agreement between experts that `annotations agreement` prints, on one image and on all', async () => {
    const [a] = ids as [number];
    await page.getByTestId('agreement-compare').click();
    const cell = (x: string, y: string) => page.locator(`[data-testid="agreement-cell"][data-truth="${x}"][data-against="${y}"]`);
    await cell('ann', 'bob').waitFor();
    const onImage = (await micraJson(['annotations', 'agreement', '--project', projectDir, '--image', String(a)])) as { pairs: Array<{ truthSet: string; againstSet: string; recall: number; precision: number; matched: number }> };
    const annBob = onImage.pairs.find((p) => p.truthSet === 'ann' && p.againstSet === 'bob')!;
    expect(annBob).toMatchObject({ matched: 1, recall: 1 / 3, precision: 1 / 3 });
    expect(Number(await cell('ann', 'bob').getAttribute('data-recall'))).toBe(annBob.recall);
    expect(Number(await cell('ann', 'bob').getAttribute('data-precision'))).toBe(annBob.precision);

    await page.getByTestId('agreement-scope').selectOption('project');
    await page.getByTestId('agreement-compare').click();
    await expect.poll(() => cell('ann', 'bob').getAttribute('data-matched')).toBe('2');
    const all = (await micraJson(['annotations', 'agreement', '--project', projectDir])) as { meanRecall: number; pairs: Array<{ truthSet: string; againstSet: string; recall: number }> };
    // Two matches of Ann's 4 markers and of Bob's 4.
    expect(all.pairs.map((p) => [p.truthSet, p.againstSet, p.recall])).toEqual([['ann', 'bob', 0.5], ['bob', 'ann', 0.5]]);
    expect(Number(await cell('bob', 'ann').getAttribute('data-recall'))).toBe(0.5);
    expect(Number(await page.getByTestId('agreement-table').getAttribute('data-mean-recall'))).toBe(all.meanRecall);
    await page.screenshot({ path: join(screenshotDir, 'set-comparison.png') });
  }, 120_000);

  it('deletes a set after a confirmation that counts the crop labels it keeps', async () => {
    const [a] = ids as [number];
    await page.getByTestId('mode-view').click();
    await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, a);
    const layer = page.locator('[data-testid="set-layer"][data-set="bob"]');
    await expect.poll(() => layer.getAttribute('data-drawn')).toBe('3');
    // Bob's marker alone at (650,450): his colour there (the second set's: green over red).
    const before = await colourAt(650, 450);
    expect(before[1] - before[0]).toBeGreaterThan(40);
    const labelsBefore = dbRows<{ n: number }>(projectDir, "SELECT count(*) AS n FROM labels l JOIN decisions d ON d.id = l.decision_id WHERE json_extract(d.payload, '$.source.set') = 'bob'")[0]!.n;
    expect(labelsBefore).toBe(3);

    await layer.getByTestId('set-delete').click();
    const confirm = page.getByTestId('set-delete-confirm');
    await confirm.waitFor();
    expect(await confirm.getAttribute('data-crop-labels')).toBe('3');
    expect(await confirm.textContent()).toMatch(/Delete set bob: 4 annotations on 2 images\?/);
    // "Keep it" changes nothing.
    await page.getByTestId('set-delete-no').click();
    expect(dbRows<{ n: number }>(projectDir, "SELECT count(*) AS n FROM annotation_sets WHERE name = 'bob'")[0]!.n).toBe(1);

    await layer.getByTestId('set-delete').click();
    await page.getByTestId('set-delete-yes').click();
    await layer.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('annotation-import-message').textContent()).toMatch(/Deleted bob: 4 annotations on 2 images; its 3 training crop labels stay/);
    await expect.poll(async () => {
      const c = await colourAt(650, 450);
      return c[0] === c[1] && c[1] === c[2];
    }).toBe(true);
    expect(dbRows<{ n: number }>(projectDir, "SELECT count(*) AS n FROM annotation_sets WHERE name = 'bob'")[0]!.n).toBe(0);
    expect(dbRows<{ n: number }>(projectDir, 'SELECT count(*) AS n FROM set_annotations')[0]!.n).toBe(4);
    expect(dbRows<{ name: string; deleted_by: string; crop_labels_kept: number }>(projectDir, 'SELECT name, deleted_by, crop_labels_kept FROM annotation_set_deletions')).toEqual([
      { name: 'bob', deleted_by: 'expert', crop_labels_kept: 3 },
    ]);
    expect(dbRows<{ n: number }>(projectDir, "SELECT count(*) AS n FROM labels l JOIN decisions d ON d.id = l.decision_id WHERE json_extract(d.payload, '$.source.set') = 'bob'")[0]!.n).toBe(3);
    // Ann's layer is still drawn.
    await expect.poll(() => page.locator('[data-testid="set-layer"][data-set="ann"]').getAttribute('data-drawn')).toBe('3');
  }, 120_000);
});
