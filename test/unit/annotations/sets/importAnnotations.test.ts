// Annotation sets from files other tools wrote (Python's csv and json modules): CSV points with
// and without a header, µm with the image's pixel size, QuPath GeoJSON of every supported
// geometry, our own GeoJSON export round-tripped, and bad files refused with the line or feature
// named and nothing stored.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAnnotationSet } from '../../../../src-main/core/annotations/sets/exportAnnotations';
import { importAnnotations, type ImportAnnotationsInput } from '../../../../src-main/core/annotations/sets/importAnnotations';
import { markersOf } from '../../../../src-main/core/annotations/sets/setGeometry';
import { buildExport } from '../../../../src-main/core/export/exportProject';
import { openProjectStore, type ProjectStore } from '../../../../src-main/core/project/projectStore';
import { seedObjects } from '../../../integration/export/seedObjects';
import { makeTempDir, removeDir } from '../../project/tempProject';
import { writeCsvWithPython, writeJsonWithPython } from './pythonFiles';

let dir: string;
let store: ProjectStore;
let imageId: number;

beforeEach(() => {
  dir = makeTempDir('micra-sets-');
  store = openProjectStore(path.join(dir, 'project'), { create: true });
  imageId = store.images.insertImporting({ name: 'a.tif', width: 1200, height: 800, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null });
  store.images.markReady(imageId);
});

afterEach(() => {
  store.close();
  removeDir(dir);
});

const file = (name: string) => path.join(dir, name);
const run = (name: string, o: Partial<ImportAnnotationsInput> = {}) => importAnnotations(store, { imageId, setName: 'expert-a', file: file(name), units: 'px', actor: 'alice', ...o });
const stored = () => (store.db.prepare('SELECT (SELECT count(*) FROM annotation_sets) AS sets, (SELECT count(*) FROM annotation_set_imports) AS imports, (SELECT count(*) FROM set_annotations) AS entries').get() as { sets: number; imports: number; entries: number });
const entries = (set = 'expert-a') => store.annotationSets.entries(store.annotationSets.require(set).id, imageId);
const points = (set = 'expert-a') => entries(set).flatMap((e) => markersOf(e.geometry).map((m) => [m.x, m.y, e.className]));

describe('CSV points', () => {
  it('reads a header in any column order, keeps extra columns and records who and when', () => {
    writeCsvWithPython(file('m.csv'), [['Class', 'score', 'X', 'Y'], ['Axon, DAB', 0.9, 10, 20.5], ['Dendrite', 0.4, 1199, 799], ['', 0.1, 0, 0]]);
    const out = run('m.csv');
    expect(out).toMatchObject({ set: 'expert-a', imageId, imported: 3, markers: 3, byGeometry: { Point: 3 }, byClass: { 'Axon, DAB': 1, Dendrite: 1, '(none)': 1 } });
    expect(points()).toEqual([[10, 20.5, 'Axon, DAB'], [1199, 799, 'Dendrite'], [0, 0, null]]);
    const [first] = entries();
    expect(first).toMatchObject({ actor: 'alice', objectType: 'annotation', properties: { objectType: 'annotation', classification: { name: 'Axon, DAB' }, columns: { score: '0.9' } } });
    expect(first?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reads headerless x,y and x,y,class rows, tab- or semicolon-separated too', () => {
    writeCsvWithPython(file('a.csv'), [[5, 6], [7.25, 8]]);
    writeCsvWithPython(file('b.tsv'), [[1, 2, 'A'], [3, 4, 'B']], '\t');
    writeCsvWithPython(file('c.csv'), [['x', 'y'], [9, 9]], ';');
    run('a.csv');
    run('b.tsv', { setName: 'b' });
    run('c.csv', { setName: 'c' });
    expect(points()).toEqual([[5, 6, null], [7.25, 8, null]]);
    expect(points('b')).toEqual([[1, 2, 'A'], [3, 4, 'B']]);
    expect(points('c')).toEqual([[9, 9, null]]);
  });

  it('converts µm with the pixel size, and refuses µm when the pixel size is unknown', () => {
    writeCsvWithPython(file('um.csv'), [['x', 'y'], [1.5, 2]]);
    expect(() => run('um.csv', { units: 'um' })).toThrow(/no known pixel size.*--units px/);
    expect(stored()).toEqual({ sets: 0, imports: 0, entries: 0 });
    store.images.setPixelSize(imageId, 250); // 4 px per µm
    expect(run('um.csv', { units: 'um' }).units).toBe('um');
    expect(points()).toEqual([[6, 8, null]]);
  });

  it.each([
    ['a number that is not', [['x', 'y'], [1, 2], ['3', 'four']], /^line 3: y "four" is not a number/],
    ['a short row', [['x', 'y', 'class'], [1, 2, 'a'], [3, 4]], /^line 3: 2 field\(s\), the header has 3/],
    ['a point outside the image', [[1, 2], [1200, 5]], /^line 2: Point position \(1200, 5\) is outside the 1200×800 image/],
    ['a negative coordinate', [[1, 2], [3, -1]], /^line 2: .*outside/],
    ['a header without y', [['x', 'z'], [1, 2]], /^line 1: the header \(x, z\) has no 'y' column/],
  ])('refuses %s, naming the line, and stores nothing', (_what, rows, message) => {
    writeCsvWithPython(file('bad.csv'), rows);
    expect(() => run('bad.csv')).toThrow(message);
    expect(stored()).toEqual({ sets: 0, imports: 0, entries: 0 });
  });

  it('refuses an empty file and an unknown extension', () => {
    fs.writeFileSync(file('empty.csv'), '\r\n');
    expect(() => run('empty.csv')).toThrow(/empty/);
    fs.writeFileSync(file('x.xlsx'), '1,2');
    expect(() => run('x.xlsx')).toThrow(/unknown annotation format '.xlsx'/);
    expect(stored()).toEqual({ sets: 0, imports: 0, entries: 0 });
  });
});

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

/** A QuPath export: one feature of each geometry it writes. */
const qupath = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'p1', geometry: { type: 'Point', coordinates: [100, 200] }, properties: { objectType: 'annotation', classification: { name: 'Axon', color: [255, 0, 0] } } },
    { type: 'Feature', id: 'mp', geometry: { type: 'MultiPoint', coordinates: [[10, 10], [20, 30], [40, 50]] }, properties: { objectType: 'annotation', classification: { name: 'Axon' }, isLocked: false } },
    { type: 'Feature', id: 'poly', geometry: { type: 'Polygon', coordinates: [square(300, 300, 100), square(320, 320, 20)] }, properties: { objectType: 'detection', classification: { name: 'Dendrite' }, measurements: { 'Area px^2': 9600 } } },
    { type: 'Feature', id: 7, geometry: { type: 'MultiPolygon', coordinates: [[square(600, 100, 10)], [square(700, 100, 10)]] }, properties: { objectType: 'cell' } },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [100, 0], [100, 50]] }, properties: null },
  ],
};

describe('GeoJSON', () => {
  it('reads every geometry QuPath writes with its class, objectType and properties', () => {
    writeJsonWithPython(file('q.geojson'), qupath, 2);
    const out = run('q.geojson');
    expect(out).toMatchObject({ imported: 5, markers: 7, byGeometry: { Point: 1, MultiPoint: 1, Polygon: 1, MultiPolygon: 1, LineString: 1 }, byClass: { Axon: 2, Dendrite: 1, '(none)': 2 } });
    const e = entries();
    expect(e.map((x) => [x.featureId, x.objectType, x.className])).toEqual([['p1', 'annotation', 'Axon'], ['mp', 'annotation', 'Axon'], ['poly', 'detection', 'Dendrite'], [7, 'cell', null], [null, null, null]]);
    // Markers: each point of a MultiPoint; the area centroid of a polygon with a hole (square
    // 300..400 minus 320..340: (350·10000 − 330·400) / 9600); one centroid for a MultiPolygon;
    // a line's length-weighted centroid ((50·100 + 100·50) / 150, (0·100 + 25·50) / 150).
    const m = e.map((x) => markersOf(x.geometry));
    expect(m[1]).toEqual([{ x: 10, y: 10 }, { x: 20, y: 30 }, { x: 40, y: 50 }]);
    expect(m[2]?.[0]?.x).toBeCloseTo((350 * 10000 - 330 * 400) / 9600, 9);
    expect(m[3]).toEqual([{ x: 655, y: 105 }]);
    expect(m[4]?.[0]?.x).toBeCloseTo(10000 / 150, 9);
    expect(m[4]?.[0]?.y).toBeCloseTo(1250 / 150, 9);
  });

  it('reads a single Feature and the bare array older QuPath versions write', () => {
    writeJsonWithPython(file('one.json'), qupath.features[0]);
    writeJsonWithPython(file('arr.geojson'), qupath.features.slice(0, 2));
    expect(run('one.json').imported).toBe(1);
    expect(run('arr.geojson', { setName: 'b' }).markers).toBe(4);
  });

  it('round-trips its own set export and our project GeoJSON export without loss', () => {
    writeJsonWithPython(file('q.geojson'), qupath);
    run('q.geojson');
    exportAnnotationSet(store, { imageId, setName: 'expert-a', out: file('out/set.geojson') });
    expect(JSON.parse(fs.readFileSync(file('out/set.geojson'), 'utf8'))).toEqual(qupath);

    // core/export's GeoJSON of reviewed objects (polygons traced from masks, measurements, micra ids).
    seedObjects(store, imageId);
    const [exported] = buildExport(store, 'geojson', { objects: 'all', imageIds: [imageId] });
    const original = JSON.parse(Buffer.concat(exported!.chunks).toString('utf8')) as { features: unknown[] };
    expect(original.features.length).toBe(6);
    fs.writeFileSync(file('ours.geojson'), Buffer.concat(exported!.chunks));
    expect(run('ours.geojson', { setName: 'ours' }).byGeometry).toEqual({ Polygon: 6 });
    exportAnnotationSet(store, { imageId, setName: 'ours', out: file('out/ours.geojson') });
    expect(JSON.parse(fs.readFileSync(file('out/ours.geojson'), 'utf8'))).toEqual(original);
  });

  it('exports markers as CSV that reads back to the same points', () => {
    writeJsonWithPython(file('q.geojson'), qupath);
    run('q.geojson');
    exportAnnotationSet(store, { imageId, setName: 'expert-a', out: file('pts.csv') });
    expect(fs.readFileSync(file('pts.csv'), 'utf8').split('\n').slice(0, 3)).toEqual(['x,y,class', '100,200,Axon', '10,10,Axon']);
    run('pts.csv', { setName: 'again' });
    expect(points('again')).toEqual(points('expert-a'));
  });

  it.each([
    ['invalid JSON', '{"type": "FeatureCollection", ', /not valid JSON/],
    ['an unclosed ring', { type: 'FeatureCollection', features: [qupath.features[0], { type: 'Feature', id: 'bad', geometry: { type: 'Polygon', coordinates: [[[0, 0], [5, 0], [5, 5], [0, 5]]] }, properties: {} }] }, /^feature 1 \(id "bad"\): Polygon ring 0 is not closed/],
    ['an unsupported geometry', { type: 'Feature', geometry: { type: 'GeometryCollection', geometries: [] }, properties: {} }, /^feature 0: geometry type "GeometryCollection" is not supported/],
    ['a missing geometry', { type: 'FeatureCollection', features: [qupath.features[0], qupath.features[1], { type: 'Feature', geometry: null, properties: {} }] }, /^feature 2: geometry is missing/],
    ['a position that is not two numbers', { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 'a'] }, properties: {} }, /^feature 0: Point coordinates is not a position/],
    ['a vertex outside the image', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [1201, 3]] }, properties: {} }, /^feature 0: LineString position \(1201, 3\) is outside the 1200×800 image/],
    ['a classification without a name', { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 1] }, properties: { classification: { color: [1, 2, 3] } } }, /^feature 0: properties.classification has no name/],
    ['a Geometry instead of a Feature', { type: 'Point', coordinates: [1, 1] }, /not a Feature or FeatureCollection/],
  ])('refuses %s, naming the feature, and stores nothing', (_what, doc, message) => {
    if (typeof doc === 'string') fs.writeFileSync(file('bad.geojson'), doc);
    else writeJsonWithPython(file('bad.geojson'), doc);
    expect(() => run('bad.geojson')).toThrow(message);
    expect(stored()).toEqual({ sets: 0, imports: 0, entries: 0 });
  });
});

describe('sets', () => {
  it('keeps sets apart from each other and from the review decisions', () => {
    writeCsvWithPython(file('a.csv'), [[1, 1], [2, 2]]);
    writeCsvWithPython(file('b.csv'), [[3, 3]]);
    run('a.csv');
    run('b.csv', { setName: 'expert-b', actor: 'bob' });
    run('b.csv', { setName: 'EXPERT-A' }); // names ignore case: a second import into expert-a
    expect(points()).toEqual([[1, 1, null], [2, 2, null], [3, 3, null]]);
    expect(points('expert-b')).toEqual([[3, 3, null]]);
    expect(entries('expert-b')[0]?.actor).toBe('bob');
    expect(store.db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 0 });
    expect(() => store.annotationSets.require('nobody')).toThrow(/no annotation set named "nobody" \(the project has expert-a, expert-b\)/);
  });
});
