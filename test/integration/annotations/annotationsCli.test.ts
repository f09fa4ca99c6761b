// The annotation and evaluation commands as a user runs them (`npx tsx src-main/cli/main.ts`),
// on a real project: a synthetic SEM TIFF imported through the app, a marker CSV and a QuPath-style
// GeoJSON written by Python, a sweep run stored as the sweep stores it. Checks the JSON lines
// against hand-computed figures and the files and labels the commands leave behind.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import { buildDataset } from '../../../src-main/core/ml/dataset/buildDataset';
import { openProjectStore } from '../../../src-main/core/project/projectStore';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { writeCsvWithPython, writeJsonWithPython } from '../../unit/annotations/sets/pythonFiles';
import { seedSweepRun } from '../../unit/evaluation/seedSweepRun';
import { makeTempDir, removeDir } from '../../unit/project/tempProject';

const REPO = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

async function micra(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src-main/cli/main.ts', ...args], { cwd: REPO, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function json(args: string[]): Promise<Record<string, unknown>> {
  const out = await micra(args);
  expect(out.stderr, `micra ${args.join(' ')}`).toBe('');
  expect(out.code).toBe(0);
  const lines = out.stdout.trim().split('\n');
  expect(lines.length).toBe(1);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

let tmp: string;
let project: string;
let imageId: number;
const W = 768;
const H = 512;
const file = (name: string) => path.join(tmp, name);

beforeAll(async () => {
  tmp = makeTempDir('micra-annotations-cli-');
  project = path.join(tmp, 'project');
  const tile = generateSemTile({ width: W, height: H, seed: 3, markerCount: 3 });
  await writeSemTiff(file('sem.tif'), tile);
  const app = createNodeApp('serve');
  try {
    await app.openProject(project, true);
    const outcome = await app.importFile(file('sem.tif'));
    if (!outcome.ok) throw new Error(outcome.error);
    imageId = outcome.image.id;
  } finally {
    await app.close();
  }
  writeCsvWithPython(file('expert-a.csv'), [['x', 'y', 'class'], [100, 100, 'Axon'], [300, 200, 'Axon'], [600, 400, 'Axon']]);
  writeJsonWithPython(file('expert-b.geojson'), {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', id: 'b1', geometry: { type: 'Point', coordinates: [110, 95] }, properties: { objectType: 'annotation', classification: { name: 'Axon' } } },
      { type: 'Feature', id: 'b2', geometry: { type: 'MultiPoint', coordinates: [[600, 450], [50, 450]] }, properties: { objectType: 'annotation', classification: { name: 'Axon' } } },
    ],
  });
}, 120_000);

afterAll(() => removeDir(tmp));

describe('micra annotations and evaluate-detections', () => {
  it('imports a marker CSV and a QuPath GeoJSON into sets, lists and exports them', async () => {
    const P = ['--project', project, '--image', String(imageId)];
    expect(await json(['annotations', 'import', ...P, '--set', 'expert-a', '--actor', 'alice', file('expert-a.csv')])).toMatchObject({ set: 'expert-a', imageId, imported: 3, markers: 3, byGeometry: { Point: 3 }, byClass: { Axon: 3 } });
    expect(await json(['annotations', 'import', ...P, '--set', 'expert-b', file('expert-b.geojson')])).toMatchObject({ set: 'expert-b', imported: 2, markers: 3, byGeometry: { Point: 1, MultiPoint: 1 } });

    // A bad file: the line is named, the exit code is 1, and nothing of it is stored.
    writeCsvWithPython(file('bad.csv'), [['x', 'y'], [1, 2], [3, 'nan?']]);
    const bad = await micra(['annotations', 'import', ...P, '--set', 'broken', file('bad.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/micra annotations: line 3: y "nan\?" is not a number/);
    const um = await micra(['annotations', 'import', ...P, '--set', 'broken', '--units', 'um', file('expert-a.csv')]);
    expect(um.code).toBe(1);
    expect(um.stderr).toMatch(/no known pixel size/);
    expect((await micra(['annotations', 'import', ...P, '--set', 'x', '--units', 'cm', file('expert-a.csv')])).code).toBe(2);

    const listed = await json(['annotations', 'list', '--project', project]);
    expect(listed).toMatchObject({ sets: [{ name: 'expert-a', createdBy: 'alice', images: [{ imageId, entries: 3, byGeometry: { Point: 3 } }] }, { name: 'expert-b', images: [{ imageId, entries: 2 }] }] });
    expect((listed.sets as unknown[]).length).toBe(2);

    expect(await json(['annotations', 'export', ...P, '--set', 'expert-b', '--out', file('out/b.geojson')])).toMatchObject({ entries: 2, markers: 3, format: 'geojson' });
    expect(JSON.parse(fs.readFileSync(file('out/b.geojson'), 'utf8'))).toEqual(JSON.parse(fs.readFileSync(file('expert-b.geojson'), 'utf8')));
    await json(['annotations', 'export', ...P, '--set', 'expert-a', '--out', file('out/a.csv')]);
    expect(fs.readFileSync(file('out/a.csv'), 'utf8')).toBe('x,y,class\n100,100,Axon\n300,200,Axon\n600,400,Axon\n');
  }, 120_000);

  it('evaluates a sweep run and another expert against a set', async () => {
    const store = openProjectStore(project, { create: false });
    try {
      // Holds (100,100); holds (600,400) on its corner; holds nothing.
      seedSweepRun(store, imageId, 0.5, [{ box: [80, 80, 40, 40], score: 0.9 }, { box: [580, 380, 20, 20], score: 0.6 }, { box: [400, 50, 30, 30], score: 0.7 }]);
    } finally {
      store.close();
    }
    const P = ['--project', project, '--image', String(imageId)];
    // Context rectangles (256² clipped): 228², 256 × 250 and 256 × 193, none overlapping.
    const shown = (228 * 228 + 256 * 250 + 256 * 193) / (W * H);
    const e = await json(['evaluate-detections', ...P, '--truth', 'expert-a']);
    expect(e).toMatchObject({ mode: 'run', threshold: 0.5, truth: 3, candidates: 3, found: 2, correct: 2 });
    expect(e.recall).toBeCloseTo(2 / 3, 12);
    expect(e.precision).toBeCloseTo(2 / 3, 12);
    expect(e.f1).toBeCloseTo(2 / 3, 12);
    expect(e.shownFraction).toBeCloseTo(shown, 12);
    expect((e.curve as Array<{ threshold: number; recall: number }>).map((p) => [p.threshold, +p.recall.toFixed(4)])).toEqual([[0.9, 0.3333], [0.7, 0.3333], [0.6, 0.6667]]);
    expect(await json(['evaluate-detections', ...P, '--truth', 'expert-a', '--threshold', '0.8'])).toMatchObject({ candidates: 1, found: 1, precision: 1 });

    const agreement = await json(['evaluate-detections', ...P, '--truth', 'expert-a', '--against', 'expert-b']);
    expect(agreement).toMatchObject({ mode: 'set', truth: 3, candidates: 3, matched: 2, matchDistance: 56, shownFraction: null });
    expect(agreement.recall).toBeCloseTo(2 / 3, 12);
    const refused = await micra(['evaluate-detections', ...P, '--truth', 'expert-a', '--threshold', '0.2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--threshold must lie between the run's threshold 0.5/);
  }, 120_000);

  it('turns a set into labelled training crops the training set picks up', async () => {
    const out = await json(['annotations', 'to-crops', '--project', project, '--image', String(imageId), '--set', 'expert-a', '--crop-size', '128', '--ratio', '1:2', '--seed', '3', '--actor', 'alice']);
    // 24 grid crops of 128², three touched by a marker.
    expect(out).toMatchObject({ className: 'Axon', cropSize: 128, markers: 3, positives: 3, negatives: 6, negativesAvailable: 21 });
    const store = openProjectStore(project, { create: false });
    try {
      const { spec } = buildDataset(store, { cropSize: 128, puRatio: 0 });
      // The seeded run's class ('marker') and the set's class, created by to-crops.
      expect(spec.classes.map((c) => c.name)).toEqual(['marker', 'Axon']);
      const classIndex = 1;
      const items = spec.items.filter((i) => i.source === 'label' && i.imageId === imageId);
      expect(items.filter((i) => i.targets[classIndex] === 1).length).toBe(3);
      expect(items.filter((i) => i.targets[classIndex] === 0 && i.weights[classIndex] === 1).length).toBe(6);
    } finally {
      store.close();
    }
  }, 120_000);
  it('compares experts, evaluates every image, and deletes a set keeping the crops made from it', async () => {
    const agreement = await json(['annotations', 'agreement', '--project', project]);
    expect(agreement).toMatchObject({ matchDistance: 56, imageId: null, sets: ['expert-a', 'expert-b'] });
    const pairs = agreement.pairs as Array<{ truthSet: string; againstSet: string; matched: number; recall: number; imageIds: number[] }>;
    expect(pairs.map((p) => [p.truthSet, p.againstSet, p.matched, p.imageIds])).toEqual([['expert-a', 'expert-b', 2, [imageId]], ['expert-b', 'expert-a', 2, [imageId]]]);
    expect(pairs[0]?.recall).toBeCloseTo(2 / 3, 12);
    expect((await micra(['annotations', 'agreement', '--project', project, '--sets', 'expert-a'])).code).toBe(2);

    // One image in the project: the project's totals are that image's figures.
    const all = await json(['evaluate-detections', '--project', project, '--all-images', '--truth', 'expert-a']);
    expect(all).toMatchObject({ mode: 'project', truthSet: 'expert-a', threshold: null, skipped: [], totals: { images: 1, truth: 3, found: 2, candidates: 3, correct: 2 } });
    expect((all.images as Array<{ imageId: number }>).map((r) => r.imageId)).toEqual([imageId]);
    expect((all.curve as unknown[]).length).toBe(3);
    const sets = await json(['evaluate-detections', '--project', project, '--all-images', '--truth', 'expert-a', '--against', 'expert-b']);
    expect(sets).toMatchObject({ mode: 'sets-project', truthSet: 'expert-a', againstSet: 'expert-b', matched: 2, truth: 3, candidates: 3 });
    const mixed = await micra(['evaluate-detections', '--project', project, '--all-images', '--image', String(imageId), '--truth', 'expert-a']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/drop --image and --run/);

    // The previous test made 9 crop labels from expert-a: they stay, and the output says so.
    const deleted = await json(['annotations', 'delete', '--project', project, '--set', 'expert-a', '--actor', 'bob']);
    expect(deleted).toMatchObject({ set: 'expert-a', entries: 3, imports: 1, imageIds: [imageId], cropLabelsKept: 9, deletedBy: 'bob' });
    expect(((await json(['annotations', 'list', '--project', project])).sets as Array<{ name: string }>).map((s) => s.name)).toEqual(['expert-b']);
    const store = openProjectStore(project, { create: false });
    try {
      expect(buildDataset(store, { cropSize: 128, puRatio: 0 }).spec.items.filter((i) => i.source === 'label').length).toBe(9);
    } finally {
      store.close();
    }
    const again = await micra(['annotations', 'delete', '--project', project, '--set', 'expert-a']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no annotation set named "expert-a" \(the project has expert-b\)/);
  }, 180_000);
});
