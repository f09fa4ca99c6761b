// Annotation sets and evaluation in Chromium (issue 15): a synthetic SEM image imported through
// the app and a finished sweep run stored as the sweep stores it (seedSweepRun: the figures are
// about boxes and markers, not about a model). In the UI a marker CSV written by Python's csv
// module is dropped on the open image, named, and drawn as a layer (the panel's count, and the
// set's colour on the canvas at a marker, gone when the layer is switched off); training crops are
// made from it (rows in the database); the run is evaluated against it, and the figures and
// curve the panel shows equal `micra evaluate-detections`'s JSON for the same project.
// Screenshots: test-output/e2e/annotation-set-layer.png, annotation-set-evaluation.png.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { openProjectStore } from '../../src-main/core/project/projectStore';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { writeCsvWithPython } from '../unit/annotations/sets/pythonFiles';
import { seedSweepRun } from '../unit/evaluation/seedSweepRun';
import { captureCanvas, waitForTiles } from './support/canvasPixels';
import { dropFiles } from './support/dropFiles';
import { endE2eSession, openProjectInPage, screenshotDir, startE2eSession } from './support/e2eSession';
import { repoRoot, type ServedApp } from './support/servedApp';
import { dbRows } from './support/viewerProject';

const W = 768;
const H = 512;
const MARKERS: Array<[number, number]> = [
  [100, 100],
  [300, 200],
  [600, 400],
];
let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let imageId: number;
let runId: number;

/** The colour at image point (x, y) at scale 2, the point centred: [r, g, b]. */
async function colourAt(x: number, y: number): Promise<[number, number, number]> {
  await page.evaluate(([cx, cy]) => window.__micraViewer!.setView(cx!, cy!, 2), [x, y]);
  await waitForTiles(page);
  const shot = await captureCanvas(page);
  const i = (Math.floor(shot.height / 2) * shot.width + Math.floor(shot.width / 2)) * 3;
  return [shot.rgb[i]!, shot.rgb[i + 1]!, shot.rgb[i + 2]!];
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-sets-e2e-', projectName: 'Sets study', viewport: { width: 1600, height: 900 } }));
  const tiff = join(workDir, 'sem.tif');
  await writeSemTiff(tiff, generateSemTile({ width: W, height: H, seed: 3, markerCount: 3 }));
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, true);
    const outcome = await app.importFile(tiff);
    if (!outcome.ok) throw new Error(outcome.error);
    imageId = outcome.image.id;
  } finally {
    await app.close();
  }
  const store = openProjectStore(projectDir, { create: false });
  try {
    // Holds (100,100); holds (600,400) on its corner; holds nothing.
    runId = seedSweepRun(store, imageId, 0.5, [
      { box: [80, 80, 40, 40], score: 0.9 },
      { box: [580, 380, 20, 20], score: 0.6 },
      { box: [400, 50, 30, 30], score: 0.7 },
    ]);
  } finally {
    store.close();
  }
  await openProjectInPage({ page, served, projectDir });
  await page.getByTestId('mode-view').click();
  await page.getByTestId(`image-item-${imageId}`).locator('button').first().click();
  await page.waitForFunction((id) => window.__micraViewer?.getState().imageId === id, imageId);
}, 180_000);

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('annotation sets in Chromium', () => {
  it('imports a marker CSV dropped on the image into a named set and draws it as a layer', async () => {
    const csv = join(workDir, 'expert-a.csv');
    writeCsvWithPython(csv, [['x', 'y', 'class'], ...MARKERS.map(([x, y]) => [x, y, 'Axon'])]);
    const before = await colourAt(300, 200);
    expect(before[0]).toBe(before[1]);

    await dropFiles(page, '[data-testid="image-drop-zone"]', [{ name: 'expert-a.csv', bytes: await readFile(csv), type: 'text/csv' }]);
    // The set's name defaults to the file's.
    expect(await page.getByTestId('annotation-set-name').inputValue()).toBe('expert-a');
    await page.getByTestId('annotation-import-confirm').click();
    const layer = page.locator('[data-testid="set-layer"][data-set="expert-a"]');
    await layer.waitFor();
    await expect.poll(() => layer.getAttribute('data-drawn')).toBe('3');
    // Not taken for an image import.
    expect(await page.getByTestId('import-error').count()).toBe(0);
    expect(dbRows<{ n: number }>(projectDir, 'SELECT count(*) AS n FROM images')[0]!.n).toBe(1);

    const rows = dbRows<{ geometry: string; class_name: string; source_name: string }>(
      projectDir,
      "SELECT a.geometry, a.class_name, i.source_name FROM set_annotations a JOIN annotation_sets s ON s.id = a.set_id JOIN annotation_set_imports i ON i.id = a.import_id WHERE s.name = 'expert-a' ORDER BY a.position",
    );
    expect(rows.map((r) => JSON.parse(r.geometry) as unknown)).toEqual(MARKERS.map((c) => ({ type: 'Point', coordinates: c })));
    expect(new Set(rows.map((r) => `${r.class_name}/${r.source_name}`))).toEqual(new Set(['Axon/expert-a.csv']));

    // The set's colour (pink: red well above green) at a marker; the image again with the layer off.
    const on = await colourAt(300, 200);
    expect(on[0] - on[1]).toBeGreaterThan(60);
    await page.screenshot({ path: join(screenshotDir, 'annotation-set-layer.png') });
    await layer.getByTestId('set-layer-toggle').uncheck();
    await expect.poll(async () => {
      const c = await colourAt(300, 200);
      return c[0] - c[1];
    }).toBe(0);
    await layer.getByTestId('set-layer-toggle').check();
  });

  it('refuses a malformed CSV with the line named and stores nothing of it', async () => {
    const bad = join(workDir, 'bad.csv');
    writeCsvWithPython(bad, [['x', 'y'], [1, 2], [3, 'nan?']]);
    await page.getByTestId('annotation-file-input').setInputFiles(bad);
    await page.getByTestId('annotation-import-confirm').click();
    await expect.poll(() => page.getByTestId('annotation-import-error').textContent()).toMatch(/line 3: y "nan\?" is not a number/);
    expect(dbRows<{ n: number }>(projectDir, "SELECT count(*) AS n FROM annotation_sets WHERE name = 'bad'")[0]!.n).toBe(0);
  });

  it('makes training crops from the set, evaluates the sweep run and shows the figures and curve the CLI prints', async () => {
    await page.getByTestId('mode-measure').click();
    const panel = page.getByTestId('evaluate-set');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('evaluate-truth').inputValue()).toBe('expert-a');

    // 1:0.5: round(3 × 0.5) = 2 of the 3 grid crops that touch no marker (6 crops of 256² in all).
    await page.getByTestId('crops-ratio').fill('0.5');
    await page.getByTestId('make-crops').click();
    const made = page.getByTestId('crops-made');
    await made.waitFor();
    expect(await made.getAttribute('data-positives')).toBe('3');
    expect(await made.getAttribute('data-negatives')).toBe('2');
    const labels = dbRows<{ value: string; kind: string; set: string }>(
      projectDir,
      "SELECT json_extract(d.payload, '$.value') AS value, json_extract(d.payload, '$.source.kind') AS kind, json_extract(d.payload, '$.source.set') AS \"set\" FROM labels l JOIN decisions d ON d.id = l.decision_id",
    );
    expect(labels.filter((l) => l.kind === 'annotation-set' && l.set === 'expert-a').map((l) => l.value).sort()).toEqual(['absent', 'absent', 'present', 'present', 'present']);

    await page.getByTestId('evaluate-run-button').click();
    const figures = page.getByTestId('evaluate-figures');
    await figures.waitFor();
    const plot = page.getByTestId('recall-shown-plot');
    await plot.locator('canvas').first().waitFor();

    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src-main/cli/main.ts', 'evaluate-detections', '--project', projectDir, '--image', String(imageId), '--truth', 'expert-a'], { cwd: repoRoot });
    const cli = JSON.parse(stdout.trim()) as { runId: number; recall: number; precision: number; f1: number; shownFraction: number; truth: number; candidates: number; curve: Array<{ threshold: number; shownFraction: number; recall: number; precision: number; candidates: number }> };
    expect(cli.runId).toBe(runId);
    expect(Number(await figures.getAttribute('data-run'))).toBe(cli.runId);
    expect(Number(await figures.getAttribute('data-recall'))).toBe(cli.recall);
    expect(Number(await figures.getAttribute('data-precision'))).toBe(cli.precision);
    expect(Number(await figures.getAttribute('data-f1'))).toBe(cli.f1);
    expect(Number(await figures.getAttribute('data-shown'))).toBe(cli.shownFraction);
    expect(Number(await figures.getAttribute('data-truth'))).toBe(3);
    expect(JSON.parse((await figures.getAttribute('data-curve')) ?? '[]')).toEqual(cli.curve.map((p) => [p.threshold, p.shownFraction, p.recall, p.precision, p.candidates]));
    // Three thresholds, three distinct shares shown: three points drawn.
    expect(Number(await plot.getAttribute('data-points'))).toBe(3);
    expect(await figures.textContent()).toContain(cli.recall.toFixed(3));
    await page.screenshot({ path: join(screenshotDir, 'annotation-set-evaluation.png') });
  }, 120_000);
});
