// The annotation-set and evaluation channels as a transport sends them (dispatchRequest: params
// and results schema-checked), on a real project with an imported SEM image: a Python-written
// marker CSV and GeoJSON imported as text, a bad file refused with its line and nothing stored,
// the export's content, marker crops, and the evaluation equal to the core's (the CLI's) JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { evaluateDetections } from '../../../src-main/core/evaluation/evaluateDetections';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { writeCsvWithPython, writeJsonWithPython } from '../../unit/annotations/sets/pythonFiles';
import { seedSweepRun } from '../../unit/evaluation/seedSweepRun';
import { ask, realApp, request, tempDir } from '../app/appTestKit';

let tmp: { dir: string; cleanup: () => void };
let app: MicraApp;
let imageId: number;
const file = (name: string) => path.join(tmp.dir, name);
const text = (name: string) => fs.readFileSync(file(name), 'utf8');

beforeAll(async () => {
  tmp = tempDir('micra-set-channels-');
  await writeSemTiff(file('sem.tif'), generateSemTile({ width: 768, height: 512, seed: 3, markerCount: 3 }));
  app = realApp();
  await app.openProject(file('project'), true);
  const outcome = await app.importFile(file('sem.tif'));
  if (!outcome.ok) throw new Error(outcome.error);
  imageId = outcome.image.id;
  writeCsvWithPython(file('expert-a.csv'), [['x', 'y', 'class'], [100, 100, 'Axon'], [300, 200, 'Axon'], [600, 400, 'Axon']]);
  writeJsonWithPython(file('expert-b.geojson'), {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', id: 'b1', geometry: { type: 'Point', coordinates: [110, 95] }, properties: { objectType: 'annotation', classification: { name: 'Axon' } } },
      { type: 'Feature', id: 'b2', geometry: { type: 'Polygon', coordinates: [[[590, 390], [610, 390], [610, 410], [590, 410], [590, 390]]] }, properties: { objectType: 'annotation', classification: { name: 'Axon' } } },
    ],
  });
  writeCsvWithPython(file('bad.csv'), [['x', 'y'], [1, 2], [3, 'nan?']]);
}, 120_000);

afterAll(async () => {
  await app.close();
  tmp.cleanup();
});

describe('annotation set channels', () => {
  it('imports file texts into sets, lists them per image and returns their entries', async () => {
    const events: unknown[] = [];
    const off = app.events.subscribe((event, payload) => {
      if (event === 'annotationSets.changed') events.push(payload);
    });
    const a = await ask(app, 'annotationSets.import', { imageId, set: 'expert-a', fileName: 'expert-a.csv', text: text('expert-a.csv'), actor: 'alice' });
    expect(a).toMatchObject({ set: 'expert-a', imported: 3, markers: 3, byGeometry: { Point: 3 }, byClass: { Axon: 3 }, format: 'csv', units: 'px' });
    const b = await ask(app, 'annotationSets.import', { imageId, set: 'expert-b', fileName: 'expert-b.geojson', text: text('expert-b.geojson') });
    expect(b).toMatchObject({ imported: 2, byGeometry: { Point: 1, Polygon: 1 } });
    off();
    expect(events).toEqual([{ imageId, set: 'expert-a' }, { imageId, set: 'expert-b' }]);

    const { sets } = await ask(app, 'annotationSets.list', {});
    expect(sets.map((s) => [s.name, s.createdBy, s.images])).toEqual([
      ['expert-a', 'alice', [{ imageId, entries: 3, byGeometry: { Point: 3 } }]],
      ['expert-b', 'expert', [{ imageId, entries: 2, byGeometry: { Point: 1, Polygon: 1 } }]],
    ]);
    const entries = await ask(app, 'annotationSets.entries', { imageId, set: 'EXPERT-B' });
    expect(entries.set).toBe('expert-b');
    expect(entries.entries.map((e) => e.geometry.type)).toEqual(['Point', 'Polygon']);
  });

  it('refuses a bad file with its line named, an unknown format, an oversized text and an unknown set; nothing is stored', async () => {
    const bad = await request(app, 'annotationSets.import', { imageId, set: 'broken', fileName: 'bad.csv', text: text('bad.csv') });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(!bad.ok && bad.error.message).toMatch(/line 3: y "nan\?" is not a number/);
    const ext = await request(app, 'annotationSets.import', { imageId, set: 'broken', fileName: 'markers.xlsx', text: 'x,y\n1,2\n' });
    expect(!ext.ok && ext.error.message).toMatch(/unknown annotation format '\.xlsx'/);
    const big = await request(app, 'annotationSets.import', { imageId, set: 'broken', fileName: 'big.csv', text: 'x'.repeat(16 * 1024 * 1024 + 1) });
    expect(big).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await ask(app, 'annotationSets.list', {})).sets.map((s) => s.name)).toEqual(['expert-a', 'expert-b']);
    expect(await request(app, 'annotationSets.entries', { imageId, set: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringMatching(/the project has expert-a, expert-b/) } });
    expect(await request(app, 'annotationSets.import', { imageId: 999, set: 'x', fileName: 'a.csv', text: '1,2' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('exports a set as the CLI writes it', async () => {
    const csv = await ask(app, 'annotationSets.export', { imageId, set: 'expert-a', format: 'csv' });
    expect(csv).toMatchObject({ fileName: `${imageId}_sem_expert-a.csv`, entries: 3, markers: 3 });
    expect(csv.text).toBe('x,y,class\n100,100,Axon\n300,200,Axon\n600,400,Axon\n');
    const geo = await ask(app, 'annotationSets.export', { imageId, set: 'expert-b', format: 'geojson' });
    expect(JSON.parse(geo.text)).toEqual(JSON.parse(text('expert-b.geojson')));
  });

  it('makes marker crops and evaluates a sweep run exactly as the core does for the CLI', async () => {
    const crops = await ask(app, 'annotationSets.toCrops', { imageId, set: 'expert-a', ratio: 0.5 });
    expect(crops).toMatchObject({ positives: 3, negatives: 2, negativesAvailable: 3, cropSize: 256, className: 'Axon' });
    const again = await ask(app, 'annotationSets.toCrops', { imageId, set: 'expert-a', ratio: 0.5 });
    expect(again).toMatchObject({ positives: 0, alreadyMade: 3 });

    const noRun = await request(app, 'evaluation.detections', { imageId, truth: 'expert-a' });
    expect(noRun).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/no finished sweep run/) } });

    const { store } = app.requireProject();
    seedSweepRun(store, imageId, 0.5, [{ box: [80, 80, 40, 40], score: 0.9 }, { box: [580, 380, 20, 20], score: 0.6 }, { box: [400, 50, 30, 30], score: 0.7 }]);
    const e = await ask(app, 'evaluation.detections', { imageId, truth: 'expert-a' });
    expect(e).toEqual(evaluateDetections(store, { imageId, truth: 'expert-a' }));
    expect(e).toMatchObject({ mode: 'run', truth: 3, candidates: 3, found: 2, correct: 2 });
    expect(e.mode === 'run' && e.curve.length).toBe(3);
    const agreement = await ask(app, 'evaluation.detections', { imageId, truth: 'expert-a', against: 'expert-b' });
    expect(agreement).toMatchObject({ mode: 'set', matched: 2, curve: null });
  });
});
