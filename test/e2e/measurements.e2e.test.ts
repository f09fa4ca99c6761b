// The measurement table and exports in Chromium (issue 12): a project seeded with known objects
// (suggestions accepted, declined, later and pending, and a region the expert added) on an
// imported SEM image with a pixel size. The table lists every object with the database's
// areas and decisions; sorting and filters narrow and order it; a click flies the viewer to the
// object; every export button downloads a file that parses and agrees with the database.
// Screenshot: test-output/e2e/measure-table.png.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src-main/cli/nodeApp';
import { probeTiff } from '../../src-main/core/imaging/tiffProbe';
import { generateSemTile, writeSemTiff } from '../generators/sem';
import { seedObjects, type SeededObject } from '../integration/export/seedObjects';
import { endE2eSession, openProjectInPage, screenshotDir, startE2eSession } from './support/e2eSession';
import type { ServedApp } from './support/servedApp';
import type {} from '../../src-renderer/viewer/testHook';

const PIXEL_NM = 5;
let workDir: string;
let projectDir: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let imageId: number;
let seeded: SeededObject[];

const key = (o: SeededObject) => `${o.kind}:${o.id}`;
const accepted = () => seeded.filter((o) => o.decision === 'accepted' || o.decision === 'added');

async function rowAttr(name: string): Promise<string[]> {
  return page.getByTestId('measure-row').evaluateAll((els, n) => els.map((e) => e.getAttribute(n) ?? ''), name);
}

/** Clicks an export button and returns the downloaded file's name and bytes. */
async function download(testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(workDir, `dl-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

beforeAll(async () => {
  ({ workDir, projectDir, served, browser, page } = await startE2eSession({ tmpPrefix: 'micra-measure-e2e-', projectName: 'Measure study', viewport: { width: 1600, height: 900 } }));
  // The project is built before the UI opens it: a real import, then known objects.
  const tiff = join(workDir, 'sem-section.tif');
  await writeSemTiff(tiff, generateSemTile({ width: 1024, height: 768, seed: 21, markerCount: 2 }));
  const app = createNodeApp('serve');
  try {
    await app.openProject(projectDir, true);
    const outcome = await app.importFile(tiff);
    if (!outcome.ok) throw new Error(outcome.error);
    imageId = outcome.image.id;
    const { store } = app.requireProject();
    store.images.setPixelSize(imageId, PIXEL_NM);
    seeded = seedObjects(store, imageId);
  } finally {
    await app.close();
  }
  await openProjectInPage({ page, served, projectDir });
}, 180_000);

afterAll(async () => {
  await endE2eSession({ browser, served, workDir });
});

describe('measurement table and exports in Chromium', () => {
  it('lists every object of the project with the database areas, decisions and per-image totals', async () => {
    await page.getByTestId('mode-measure').click();
    await expect.poll(() => page.getByTestId('measure-row').count()).toBe(seeded.length);
    const keys = await rowAttr('data-key');
    expect([...keys].sort()).toEqual(seeded.map(key).sort());
    const areas = await rowAttr('data-area');
    const decisions = await rowAttr('data-decision');
    keys.forEach((k, i) => {
      const o = seeded.find((s) => key(s) === k)!;
      expect(Number(areas[i])).toBe(o.area);
      expect(decisions[i]).toBe(o.decision);
    });
    const total = page.locator(`[data-testid="measure-total"][data-image="${imageId}"]`);
    expect(Number(await total.getAttribute('data-count'))).toBe(accepted().length);
    expect(Number(await total.getAttribute('data-area'))).toBe(accepted().reduce((s, o) => s + o.area, 0));
    // µm² shown with the pixel size.
    const first = page.locator(`[data-testid="measure-row"][data-key="${key(seeded[0]!)}"] td`).nth(5);
    expect(Number(await first.textContent())).toBeCloseTo(seeded[0]!.area * (PIXEL_NM / 1000) ** 2, 4);
    await page.screenshot({ path: join(screenshotDir, 'measure-table.png') });
  });

  it('sorts on a column both ways and filters by decision, score and area', async () => {
    await page.getByTestId('measure-sort-area').click();
    const desc = (await rowAttr('data-area')).map(Number);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.getByTestId('measure-sort-area').click();
    const asc = (await rowAttr('data-area')).map(Number);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));

    await page.getByTestId('measure-filter-decision').selectOption('accepted');
    await expect.poll(async () => [...(await rowAttr('data-key'))].sort()).toEqual(seeded.filter((o) => o.decision === 'accepted').map(key).sort());
    await page.getByTestId('measure-filter-decision').selectOption('');
    await page.getByTestId('measure-filter-score-min').fill('0.8');
    await expect.poll(async () => [...(await rowAttr('data-key'))].sort()).toEqual(seeded.filter((o) => o.score !== null && o.score >= 0.8).map(key).sort());
    await page.getByTestId('measure-filter-score-min').fill('');
    await page.getByTestId('measure-filter-area-min').fill('2000');
    await expect.poll(async () => [...(await rowAttr('data-key'))].sort()).toEqual(seeded.filter((o) => o.area >= 2000).map(key).sort());
    await page.getByTestId('measure-filter-area-min').fill('');
    await expect.poll(() => page.getByTestId('measure-row').count()).toBe(seeded.length);
  });

  it('flies the viewer to the object of a clicked row', async () => {
    const target = seeded.find((o) => o.decision === 'later')!;
    const [x, y, w, h] = [target.region.x, target.region.y, target.region.width, target.region.height];
    await page.locator(`[data-testid="measure-row"][data-key="${key(target)}"]`).click();
    await page.waitForFunction(
      ({ cx, cy, id }) => {
        const s = window.__micraViewer?.getState();
        return s !== undefined && s.imageId === id && Math.abs(s.centerX - cx) < 1 && Math.abs(s.centerY - cy) < 1;
      },
      { cx: x + w / 2, cy: y + h / 2, id: imageId },
    );
    const state = await page.evaluate(() => window.__micraViewer!.getState());
    // Zoomed in past the whole-image fit, the object inside the view.
    expect(state.scale).toBeGreaterThan(Math.min(state.width / 1024, state.height / 768));
    await page.screenshot({ path: join(screenshotDir, 'measure-flown.png') });
  });

  it('downloads every export, and the files parse and agree with the database', async () => {
    const want = accepted();
    const objectsCsv = await download('export-objects-csv');
    expect(objectsCsv.name).toBe(`${imageId}_sem-section_objects.csv`);
    const lines = objectsCsv.bytes.toString('utf8').trim().split('\n').map((l) => l.split(','));
    const header = lines[0]!;
    const rows = lines.slice(1);
    expect(rows.map((r) => `${r[header.indexOf('object_kind')]}:${r[header.indexOf('object_id')]}`).sort()).toEqual(want.map(key).sort());
    for (const r of rows) {
      const o = seeded.find((s) => key(s) === `${r[header.indexOf('object_kind')]}:${r[header.indexOf('object_id')]}`)!;
      expect(Number(r[header.indexOf('area_px2')])).toBe(o.area);
      expect(Number(r[header.indexOf('area_um2')])).toBeCloseTo(o.area * (PIXEL_NM / 1000) ** 2, 9);
    }

    const summary = (await download('export-summary-csv')).bytes.toString('utf8').trim().split('\n');
    expect(summary).toHaveLength(2);
    const cells = summary[1]!.split(',');
    expect([Number(cells[0]), Number(cells[3]), Number(cells[4])]).toEqual([imageId, want.length, want.reduce((s, o) => s + o.area, 0)]);

    const coco = JSON.parse((await download('export-coco')).bytes.toString('utf8')) as { annotations: Array<{ area: number; image_id: number; attributes: { object_kind: string; object_id: number } }> };
    expect(coco.annotations.map((a) => `${a.attributes.object_kind}:${a.attributes.object_id}`).sort()).toEqual(want.map(key).sort());
    for (const a of coco.annotations) expect(a.area).toBe(seeded.find((s) => key(s) === `${a.attributes.object_kind}:${a.attributes.object_id}`)!.area);

    const geo = JSON.parse((await download('export-geojson')).bytes.toString('utf8')) as { type: string; features: Array<{ id: string; properties: { classification: { name: string } } }> };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.map((f) => f.id).sort()).toEqual(want.map((o) => `${o.kind}-${o.id}`).sort());

    const masks = await download('export-masks');
    expect(masks.name).toBe(`${imageId}_sem-section_labels.tif`);
    const tiffPath = join(workDir, 'labels.tif');
    await writeFile(tiffPath, masks.bytes);
    const probe = await probeTiff(tiffPath);
    expect(probe.compression).not.toBe(1);
    expect(probe.pixelSizeNm).toBeCloseTo(PIXEL_NM, 6);
    const { data, info } = await sharp(masks.bytes).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([1024, 768, 1]);
    const labels = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    const counts = new Map<number, number>();
    for (const v of labels) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    // Labels follow the CSV's rows (its `label` column).
    for (const r of rows) expect(counts.get(Number(r[header.indexOf('label')]))).toBe(Number(r[header.indexOf('area_px2')]));
    expect(counts.size).toBe(want.length);

    await page.getByTestId('export-objects').selectOption('all');
    const all = (await download('export-objects-csv')).bytes.toString('utf8').trim().split('\n');
    expect(all).toHaveLength(1 + seeded.length);
  });
});
