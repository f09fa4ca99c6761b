// Exports against the database: a project with known objects on two images (one with a pixel
// size), exported in every format through the core, `measurements.list`, and serve mode's
// download route. Counts, ids, areas and labels agree with the seeded objects; the label TIFF is
// compressed and carries the pixel size (read back by sharp and by our own probe).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { exportSaveHandler } from '../../../src-main/core/app/handlers/measurementHandlers';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { decodeCocoRle } from '../../../src-main/core/export/cocoRle';
import type { CocoDataset } from '../../../src-main/core/export/exportCoco';
import { OBJECTS_CSV_HEADER } from '../../../src-main/core/export/exportCsv';
import { buildExport, buildSingleExport, exportProject, type ExportFile } from '../../../src-main/core/export/exportProject';
import { labelTiff } from '../../../src-main/core/export/labelTiff';
import { probeTiff } from '../../../src-main/core/imaging/tiffProbe';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { startServer, type RunningServer } from '../../../src-main/server/serveMode';
import { seedObjects, type SeededObject } from './seedObjects';

const PIXEL_NM = 4.5;
let dir: string;
let store: ProjectStore;
let imageA: number;
let imageB: number;
let seeded: SeededObject[];

const bytesOf = (f: ExportFile) => Buffer.concat(f.chunks);
const csvRows = (f: ExportFile) => bytesOf(f).toString('utf8').trim().split('\n').map((l) => l.split(','));
const col = (row: string[], name: string) => row[OBJECTS_CSV_HEADER.indexOf(name)]!;
const isAccepted = (o: SeededObject) => o.decision === 'accepted' || o.decision === 'added';

function addImage(s: ProjectStore, name: string, width: number, height: number, pixelSizeNm: number | null): number {
  const id = s.images.insertImporting({ name, width, height, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm, sourcePath: name, contentHash: null });
  s.images.markReady(id);
  return id;
}

/** Label → pixel count of a label TIFF, read by sharp. */
async function labelCounts(tiff: Buffer, depth: 'ushort' | 'uint'): Promise<{ counts: Map<number, number>; width: number; height: number }> {
  // Kept in the file's own interpretation: grey16 for 16-bit, b-w (no scaling) for 32-bit.
  const { data, info } = await sharp(tiff, { limitInputPixels: false })
    .toColourspace(depth === 'ushort' ? 'grey16' : 'b-w')
    .raw({ depth })
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(1);
  const labels = depth === 'ushort' ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  const counts = new Map<number, number>();
  for (const v of labels) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return { counts, width: info.width, height: info.height };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'micra-export-'));
  store = openProjectStore(join(dir, 'project'), { create: true });
  imageA = addImage(store, 'section A.tif', 1024, 720, PIXEL_NM);
  imageB = addImage(store, 'section B.tif', 1024, 720, null);
  seeded = [...seedObjects(store, imageA), ...seedObjects(store, imageB)];
});

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports agree with the database', () => {
  it('lists one CSV row per accepted object (default) or per object (all), with ids, areas and decisions', () => {
    const accepted = csvRows(buildSingleExport(store, { format: 'objects-csv' })).slice(1);
    const want = seeded.filter(isAccepted);
    expect(accepted.map((r) => `${col(r, 'object_kind')}:${col(r, 'object_id')}`).sort()).toEqual(want.map((o) => `${o.kind}:${o.id}`).sort());
    for (const o of want) {
      const row = accepted.find((r) => col(r, 'object_kind') === o.kind && Number(col(r, 'object_id')) === o.id)!;
      expect(Number(col(row, 'image_id'))).toBe(o.imageId);
      expect(Number(col(row, 'area_px2'))).toBe(o.area);
      expect(col(row, 'decided_by')).toBe(o.actor);
      expect([Number(col(row, 'bbox_x')), Number(col(row, 'bbox_y')), Number(col(row, 'bbox_width')), Number(col(row, 'bbox_height'))]).toEqual([o.region.x, o.region.y, o.region.width, o.region.height]);
      if (o.imageId === imageA) expect(Number(col(row, 'area_um2'))).toBeCloseTo(o.area * (PIXEL_NM / 1000) ** 2, 9);
      else expect(col(row, 'area_um2')).toBe('');
    }
    const all = csvRows(buildSingleExport(store, { format: 'objects-csv', objects: 'all' })).slice(1);
    expect(all).toHaveLength(seeded.length);
    expect(all.map((r) => col(r, 'decision')).sort()).toEqual(seeded.map((o) => o.decision).sort());
  });

  it('sums count and area per image and class in the summary CSV', () => {
    const rows = csvRows(buildSingleExport(store, { format: 'summary-csv' })).slice(1);
    expect(rows).toHaveLength(2);
    for (const [imageId, row] of [[imageA, rows[0]!], [imageB, rows[1]!]] as const) {
      const mine = seeded.filter((o) => o.imageId === imageId && isAccepted(o));
      expect(Number(row[0])).toBe(imageId);
      expect(Number(row[3])).toBe(mine.length);
      expect(Number(row[4])).toBe(mine.reduce((s, o) => s + o.area, 0));
    }
  });

  it('writes COCO whose annotations decode to the objects', () => {
    const coco = JSON.parse(bytesOf(buildSingleExport(store, { format: 'coco', objects: 'all' })).toString('utf8')) as CocoDataset;
    expect(coco.images.map((i) => i.id)).toEqual([imageA, imageB]);
    expect(coco.annotations).toHaveLength(seeded.length);
    for (const a of coco.annotations) {
      const o = seeded.find((s) => s.kind === a.attributes.object_kind && s.id === a.attributes.object_id)!;
      expect(a.image_id).toBe(o.imageId);
      expect(a.category_id).toBe(o.classId);
      expect(a.area).toBe(o.area);
      expect(a.attributes.decision).toBe(o.decision);
      expect(decodeCocoRle(a.segmentation).reduce((s, v) => s + v, 0)).toBe(o.area);
    }
  });

  it('writes a GeoJSON per image, one feature per object', () => {
    const geo = JSON.parse(bytesOf(buildSingleExport(store, { format: 'geojson', imageId: imageA })).toString('utf8')) as { features: Array<{ id: string; properties: { measurements: Record<string, number> } }> };
    const want = seeded.filter((o) => o.imageId === imageA && isAccepted(o));
    expect(geo.features.map((f) => f.id)).toEqual(want.map((o) => `${o.kind}-${o.id}`));
    geo.features.forEach((f, i) => expect(f.properties.measurements['Area px^2']).toBe(want[i]!.area));
    expect(() => buildSingleExport(store, { format: 'geojson' })).toThrow(/per image/);
  });

  it('writes a deflate-compressed 16-bit label TIFF with the pixel size, read back by sharp and by our probe', async () => {
    const exported = buildSingleExport(store, { format: 'masks', imageId: imageA });
    expect(exported.fileName).toBe(`${imageA}_section_A_labels.tif`);
    const tiff = bytesOf(exported);
    const path = join(dir, exported.fileName);
    await import('node:fs/promises').then((fs) => fs.writeFile(path, tiff));
    const probe = await probeTiff(path);
    expect(probe.compression).not.toBe(1);
    expect(probe.compression).toBe(8);
    expect([probe.width, probe.height, probe.bitsPerSample, probe.samplesPerPixel]).toEqual([1024, 720, 16, 1]);
    expect(probe.pixelSizeNm).toBeCloseTo(PIXEL_NM, 6);
    const meta = await sharp(tiff).metadata();
    expect(meta.resolutionUnit).toBe('cm');
    expect(25.4e6 / meta.density!).toBeCloseTo(PIXEL_NM, 3); // density is pixels per inch
    const { counts } = await labelCounts(tiff, 'ushort');
    const want = seeded.filter((o) => o.imageId === imageA && isAccepted(o));
    expect(counts.size).toBe(want.length);
    want.forEach((o, i) => expect(counts.get(i + 1)).toBe(o.area));
    // No pixel size: no resolution tags.
    const noSize = bytesOf(buildSingleExport(store, { format: 'masks', imageId: imageB }));
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'b.tif'), noSize));
    expect((await probeTiff(join(dir, 'b.tif'))).pixelSizeNm).toBeNull();
  });

  it('switches to 32-bit labels past 65,535 objects', async () => {
    const regions = Array.from({ length: 70_000 }, (_, i) => ({ x: i % 300, y: Math.floor(i / 300), width: 1, height: 1, mask: Uint8Array.from([1]) }));
    const tiff = Buffer.concat(labelTiff({ width: 300, height: 240, pixelSizeNm: 2, regions }));
    const meta = await sharp(tiff).metadata();
    expect(meta.depth).toBe('uint');
    const { counts } = await labelCounts(tiff, 'uint');
    expect(counts.size).toBe(70_000);
    expect(counts.get(70_000)).toBe(1);
  });

  it('keeps a 10,240² label image small', async () => {
    const big = addImage(store, 'big.tif', 10_240, 10_240, 3);
    seedObjects(store, big);
    const started = performance.now();
    const exported = buildSingleExport(store, { format: 'masks', imageId: big });
    const ms = performance.now() - started;
    const path = join(dir, exported.fileName);
    await import('node:fs/promises').then((fs) => fs.writeFile(path, bytesOf(exported)));
    console.log(`10,240² label TIFF: ${statSync(path).size} bytes (uncompressed ${10_240 * 10_240 * 2}), built in ${ms.toFixed(0)} ms`);
    expect(statSync(path).size).toBeLessThan(2_000_000);
    const probe = await probeTiff(path);
    expect([probe.width, probe.height, probe.compression]).toEqual([10_240, 10_240, 8]);
    store.images.remove(big);
  }, 60_000);

  it('writes one file per image for the per-image formats (micra export)', async () => {
    const out = join(dir, 'geo');
    const outcome = await exportProject(store, 'geojson', out, { objects: 'all' });
    expect(outcome.files.map((f) => f.slice(out.length + 1)).sort()).toEqual([`${imageA}_section_A.geojson`, `${imageB}_section_B.geojson`].sort().map((n) => n.replace('.geojson', '_all.geojson')));
    expect(readdirSync(out)).toHaveLength(2);
    expect(outcome.objects).toBe(seeded.length);
    const csvOut = join(dir, 'objects.csv');
    await exportProject(store, 'objects-csv', csvOut, { imageIds: [imageB] });
    expect(readFileSync(csvOut, 'utf8').trim().split('\n')).toHaveLength(1 + seeded.filter((o) => o.imageId === imageB && isAccepted(o)).length);
    expect(buildExport(store, 'masks')).toHaveLength(2);
  });
});

describe('measurements.list and the serve-mode download', () => {
  let app: MicraApp;
  let server: RunningServer;
  beforeAll(async () => {
    store.close();
    app = createNodeApp('serve');
    await app.openProject(join(dir, 'project'), false);
    server = await startServer({ app, rendererDir: dir });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    store = openProjectStore(join(dir, 'project'), { create: false });
  });

  it('lists every object with its measurements and per-image totals of the accepted ones', async () => {
    const answer = await dispatchRequest(app.handlers, 'measurements.list', {});
    expect(answer.ok).toBe(true);
    const { objects, totals } = (answer as { ok: true; result: { objects: Array<{ kind: string; id: number; areaPx: number; areaUm2: number | null; decision: string; decidedBy: string | null; box: number[] }>; totals: Array<{ imageId: number; count: number; totalAreaPx: number }> } }).result;
    expect(objects).toHaveLength(seeded.length);
    for (const o of seeded) {
      const got = objects.find((g) => g.kind === o.kind && g.id === o.id)!;
      expect(got).toMatchObject({ areaPx: o.area, decision: o.decision, decidedBy: o.actor, box: [o.region.x, o.region.y, o.region.width, o.region.height] });
      expect(got.areaUm2 === null).toBe(o.imageId === imageB);
    }
    for (const imageId of [imageA, imageB]) {
      const mine = seeded.filter((o) => o.imageId === imageId && isAccepted(o));
      expect(totals.find((t) => t.imageId === imageId)).toMatchObject({ count: mine.length, totalAreaPx: mine.reduce((s, o) => s + o.area, 0) });
    }
    const saved = await dispatchRequest(app.handlers, 'export.save', { format: 'coco' });
    expect(saved.ok).toBe(false);
  });

  it('saves where the (Electron) save dialog says, and nothing when it is cancelled', async () => {
    const chosen = join(dir, 'saved', 'objects.csv');
    const asked: string[] = [];
    const save = exportSaveHandler(app, async (name) => {
      asked.push(name);
      return asked.length === 1 ? chosen : null;
    });
    const saved = await save({ format: 'objects-csv', objects: 'all' });
    expect(asked[0]).toBe('project_objects_all.csv');
    expect(saved).toMatchObject({ saved: true, path: chosen, objects: seeded.length });
    expect(statSync(chosen).size).toBe(saved.bytes);
    expect(readFileSync(chosen, 'utf8').trim().split('\n')).toHaveLength(1 + seeded.length);
    expect(await save({ format: 'coco' })).toMatchObject({ saved: false, path: null });
    await expect(save({ format: 'masks', imageId: 999 })).rejects.toThrow(/no image 999/);
  });

  it('downloads an export with the token, as an attachment, byte for byte the core file', async () => {
    const url = (q: string, token: string | null = server.token) => `http://127.0.0.1:${server.port}/export?${q}${token ? `&token=${token}` : ''}`;
    const response = await fetch(url(`format=masks&image=${imageA}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${imageA}_section_A_labels.tif"`);
    expect(response.headers.get('content-type')).toBe('image/tiff');
    const body = Buffer.from(await response.arrayBuffer());
    const { store: open } = app.requireProject();
    expect(body.equals(bytesOf(buildSingleExport(open, { format: 'masks', imageId: imageA })))).toBe(true);
    const csv = await fetch(url('format=objects-csv&objects=all'));
    expect((await csv.text()).trim().split('\n')).toHaveLength(1 + seeded.length);
    expect((await fetch(url('format=masks&image=1', null))).status).toBe(401);
    expect((await fetch(url('format=masks&image=1', 'wrong'))).status).toBe(401);
    expect((await fetch(url('format=geojson'))).status).toBe(400);
    expect((await fetch(url('format=exe'))).status).toBe(400);
    expect((await fetch(url('format=coco&path=/etc/passwd'))).status).toBe(400);
    expect((await fetch(url('format=masks&image=999'))).status).toBe(404);
  });
});
