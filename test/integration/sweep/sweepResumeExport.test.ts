// The compute process killed mid-sweep: the run fails, keeps the crops it finished, and a
// resume sweeps only the rest. Then every suggestion is accepted and exported in the four
// formats; the files parse and agree with the database.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCocoRle } from '../../../src-main/core/export/cocoRle';
import type { CocoDataset } from '../../../src-main/core/export/exportCoco';
import { exportProject } from '../../../src-main/core/export/exportProject';
import { acceptedRegions } from '../../../src-main/core/review/acceptedRegions';
import { maskArea } from '../../../src-main/core/review/maskRegion';
import { eventsOf, FIXTURE_MODEL, sweepProject, type SweepProject } from './sweepKit';

function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return Math.abs(s / 2);
}

describe('sweep crash, resume and export', () => {
  let p: SweepProject;
  beforeAll(async () => {
    p = await sweepProject({ width: 2048, height: 512, seed: 5, markerCount: 6 });
  }, 60_000);
  afterAll(async () => {
    await p?.cleanup();
  });

  it('fails when the compute process is killed and resumes from the finished crops', async () => {
    const service = p.app.requireProject().sweeps;
    const [run] = await service.start({ imageIds: [p.imageId], manifestPath: FIXTURE_MODEL, workers: 1 });
    // Kill the compute process once the first crops are recorded.
    await new Promise<void>((resolve) => {
      const off = p.app.events.subscribe((event) => {
        if (event !== 'sweep.crops') return;
        off();
        process.kill(p.app.requireProject().host.pid!, 'SIGKILL');
        resolve();
      });
    });
    const failed = await service.settled(run!.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/crash/);
    expect(failed.cropsDone).toBeGreaterThan(0);
    expect(failed.cropsDone).toBeLessThan(16);
    const before = p.app.requireProject().store.jobs.get(failed.jobId!);
    expect(before?.status).toBe('failed');

    await service.resume(run!.id, { workers: 2 });
    const done = await service.settled(run!.id);
    expect(done).toMatchObject({ status: 'done', cropsDone: 16 });
    expect(done.jobId).not.toBe(failed.jobId);
    // The resumed job swept only what was left.
    const resumed = p.app.requireProject().store.jobs.get(done.jobId!);
    expect(JSON.parse(resumed!.params).skip).toHaveLength(failed.cropsDone);
    const cells = eventsOf(p, 'sweep.crops').flatMap((e) => e.crops.map((c) => `${c.col},${c.row}`));
    expect(new Set(cells).size).toBe(cells.length);
    expect(cells).toHaveLength(16);
  }, 300_000);

  it('exports accepted regions as CSV, COCO, GeoJSON and label masks that match the database', async () => {
    const queue = await p.app.handlers['review.queue']({ imageId: p.imageId, order: 'score' });
    expect(queue.length).toBeGreaterThan(0);
    for (const item of queue) await p.app.handlers['review.decide']({ suggestionId: item.id, action: 'accept', shownRect: null });
    const { store } = p.app.requireProject();
    const regions = acceptedRegions(store, p.imageId);
    expect(regions).toHaveLength(queue.length);
    const out = path.join(p.tmp, 'export');

    await exportProject(store, 'summary-csv', path.join(out, 'counts.csv'));
    const csv = fs.readFileSync(path.join(out, 'counts.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('image_id,image_name,class,count,total_area_px2,total_area_um2,mean_area_px2,mean_area_um2,pixel_size_nm');
    const cells = csv[1]!.split(',');
    expect(Number(cells[3])).toBe(regions.length);
    expect(Number(cells[4])).toBe(regions.reduce((s, r) => s + maskArea(r.region.mask), 0));
    expect(cells[5]).toBe('');

    await exportProject(store, 'coco', path.join(out, 'coco.json'));
    const coco = JSON.parse(fs.readFileSync(path.join(out, 'coco.json'), 'utf8')) as CocoDataset;
    expect(coco.images).toEqual([{ id: p.imageId, file_name: 'sem.tif', width: 2048, height: 512, pixel_size_nm: null }]);
    expect(coco.annotations).toHaveLength(regions.length);
    coco.annotations.forEach((a, i) => {
      const r = regions[i]!.region;
      expect(a.bbox).toEqual([r.x, r.y, r.width, r.height]);
      expect(a.area).toBe(maskArea(r.mask));
      const full = decodeCocoRle(a.segmentation);
      let inside = 0;
      for (let y = 0; y < 512; y++)
        for (let x = 0; x < 2048; x++) {
          const inBox = x >= r.x && y >= r.y && x < r.x + r.width && y < r.y + r.height;
          const want = inBox ? r.mask[(y - r.y) * r.width + (x - r.x)]! : 0;
          if (full[y * 2048 + x] !== want) throw new Error(`RLE of annotation ${a.id} differs at (${x}, ${y})`);
          inside += want;
        }
      expect(inside).toBe(a.area);
    });

    await exportProject(store, 'geojson', path.join(out, 'geojson'));
    const [geoFile] = fs.readdirSync(path.join(out, 'geojson'));
    const geo = JSON.parse(fs.readFileSync(path.join(out, 'geojson', geoFile!), 'utf8'));
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(regions.length);
    geo.features.forEach((f: { geometry: { type: string; coordinates: number[][][] | number[][][][] }; properties: { objectType: string; classification: { name: string; color: number[] } } }, i: number) => {
      expect(f.properties.objectType).toBe('annotation');
      expect(f.properties.classification.name).toBe(regions[i]!.className);
      const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
      // Traced along pixel edges: outer area minus holes is exactly the mask's pixel count.
      const area = polygons.reduce((s, rings) => s + ringArea(rings[0]!) - rings.slice(1).reduce((h, ring) => h + ringArea(ring), 0), 0);
      expect(area).toBe(maskArea(regions[i]!.region.mask));
    });

    await exportProject(store, 'masks', path.join(out, 'masks'));
    const [maskFile] = fs.readdirSync(path.join(out, 'masks'));
    const { data, info } = await sharp(path.join(out, 'masks', maskFile!)).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([2048, 512, 1]);
    const labels = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    const counts = new Map<number, number>();
    for (const v of labels) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    regions.forEach((r, i) => expect(counts.get(i + 1)).toBe(maskArea(r.region.mask)));
  }, 120_000);
});
