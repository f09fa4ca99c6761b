// The project overview against the database: one row per image with its latest sweep, review
// counts (the same as review.stats) and accepted area; its CSV through the ordinary export; and
// the image actions it reflects: rename, and remove (the image's decisions stay in the log).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { OVERVIEW_CSV_HEADER } from '../../../src-main/core/export/exportCsv';
import { buildSingleExport } from '../../../src-main/core/export/exportProject';
import { projectOverview } from '../../../src-main/core/export/projectOverview';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/project/projectStore';
import { reviewStats } from '../../../src-main/core/review/reviewService';
import type { RequestChannel, RequestParams, RequestResult } from '../../../src-main/api/types';
import { seedObjects, type SeededObject } from './seedObjects';

const PIXEL_NM = 4.5;
let dir: string;
let projectDir: string;
let store: ProjectStore;
let imageA: number;
let imageB: number;
let seeded: SeededObject[];
let runId: number;

function addImage(s: ProjectStore, name: string, pixelSizeNm: number | null): number {
  const id = s.images.insertImporting({ name, width: 1024, height: 720, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 1, pixelSizeNm, sourcePath: name, contentHash: null });
  s.images.markReady(id);
  return id;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'micra-overview-'));
  projectDir = join(dir, 'project');
  store = openProjectStore(projectDir, { create: true });
  imageA = addImage(store, 'section A.tif', PIXEL_NM);
  imageB = addImage(store, '=B.tif', null);
  seeded = seedObjects(store, imageA);
  const model = store.models.list().find((m) => m.name === 'seed')!;
  const runs = store.sweepRuns;
  const run = runs.create({ imageId: imageA, modelId: model.id, classId: seeded[0]!.classId, classIndex: 0, threshold: 0.5, cropSize: 256, stride: 256, cols: 4, rows: 3 });
  runs.recordCrop(run.id, { col: 0, row: 0, score: 0.9 });
  runs.recordCrop(run.id, { col: 1, row: 0, score: 0.1 });
  runs.finish(run.id, 'cancelled', null);
  runId = run.id;
});

afterAll(() => {
  if (store.db.open) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const acceptedArea = () => seeded.filter((o) => o.decision === 'accepted' || o.decision === 'added').reduce((s, o) => s + o.area, 0);

describe('project overview', () => {
  it('gives each image its latest sweep, review counts and accepted area', () => {
    const [a, b] = projectOverview(store);
    expect(a).toMatchObject({
      sweep: { runId, status: 'cancelled', modelName: 'seed', cropsDone: 2, cropsTotal: 12 },
      suggestions: 5, reviewed: 3, accepted: 2, declined: 1, later: 1, pending: 1, added: 1,
      acceptedAreaPx: acceptedArea(),
    });
    expect(a!.acceptedAreaUm2).toBeCloseTo(acceptedArea() * (PIXEL_NM / 1000) ** 2, 9);
    // The same counts as the review header.
    const stats = reviewStats(store, imageA);
    expect([stats.total, stats.reviewed, stats.accepted, stats.pending, stats.added]).toEqual([a!.suggestions, a!.reviewed, a!.accepted, a!.pending, a!.added]);
    expect(b).toMatchObject({ sweep: null, suggestions: 0, reviewed: 0, accepted: 0, added: 0, acceptedAreaPx: 0, acceptedAreaUm2: null });
  });

  it('exports as CSV through the ordinary export, names quoted against formulas', () => {
    const file = buildSingleExport(store, { format: 'overview-csv' });
    expect(file.fileName).toBe('project_overview.csv');
    const [header, rowA, rowB] = Buffer.concat(file.chunks).toString('utf8').trim().split('\n').map((l) => l.split(','));
    expect(header).toEqual(OVERVIEW_CSV_HEADER);
    const cell = (row: string[] | undefined, name: string) => row?.[OVERVIEW_CSV_HEADER.indexOf(name)];
    expect(cell(rowA, 'image_name')).toBe('section A.tif');
    expect(cell(rowA, 'model')).toBe('seed');
    expect(cell(rowA, 'sweep_status')).toBe('cancelled');
    expect(cell(rowA, 'accepted')).toBe('2');
    expect(cell(rowA, 'accepted_area_px2')).toBe(String(acceptedArea()));
    expect(Number(cell(rowA, 'accepted_area_um2'))).toBeCloseTo(acceptedArea() * (PIXEL_NM / 1000) ** 2, 6);
    expect(cell(rowB, 'image_name')).toBe("'=B.tif");
    expect(cell(rowB, 'sweep_status')).toBe('none');
    expect(cell(rowB, 'accepted_area_um2')).toBe('');
  });
});

describe('image actions, through the API', () => {
  let app: MicraApp;
  async function ask<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<RequestResult<C>> {
    const answer = await dispatchRequest(app.handlers, channel, params);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
    return answer.result as RequestResult<C>;
  }

  beforeAll(async () => {
    store.close();
    app = createNodeApp('serve');
    await app.openProject(projectDir, false);
  });
  afterAll(() => app.close());

  it('renames an image; the overview and the list show the new name, trimmed', async () => {
    expect((await ask('images.rename', { id: imageB, name: '  control section  ' })).name).toBe('control section');
    expect((await ask('images.overview', {})).map((r) => r.name)).toEqual(['section A.tif', 'control section']);
    const empty = await dispatchRequest(app.handlers, 'images.rename', { id: imageB, name: '   ' });
    expect(empty.ok).toBe(false);
  });

  it('removes an image with its suggestions; its decisions stay in the log', async () => {
    const { store: open } = app.requireProject();
    const decisionCount = () => (open.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
    const before = decisionCount();
    expect(before).toBeGreaterThan(0);
    expect(await ask('images.remove', { id: imageA })).toEqual({ removed: imageA });
    expect(decisionCount()).toBe(before);
    expect((open.db.prepare('SELECT count(*) AS n FROM suggestions WHERE image_id = ?').get(imageA) as { n: number }).n).toBe(0);
    expect((await ask('images.overview', {})).map((r) => r.imageId)).toEqual([imageB]);
  });
});
