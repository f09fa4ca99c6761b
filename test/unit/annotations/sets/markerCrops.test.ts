// Training crops from markers (the paper's recipe): a positive crop around each marker with the
// marker inside, negatives only from grid crops that touch no marker, at the ratio asked, stored
// as crop labels with their provenance — and picked up by the training set loader (buildDataset).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markerCrops, type MarkerCropsInput } from '../../../../src-main/core/annotations/sets/markerCrops';
import type { ParsedAnnotation } from '../../../../src-main/core/annotations/sets/parsedAnnotation';
import type { SetGeometry } from '../../../../src-shared/setGeometry';
import { buildDataset } from '../../../../src-main/core/ml/dataset/buildDataset';
import { labelCrop } from '../../../../src-main/core/ml/dataset/cropLabelling';
import { openProjectStore, type ProjectStore } from '../../../../src-main/core/project/projectStore';
import { makeTempDir, removeDir } from '../../project/tempProject';

let dir: string;
let store: ProjectStore;
let imageId: number;
const S = 256;

function addSet(name: string, entries: Array<{ geometry: SetGeometry; className?: string }>): void {
  const repo = store.annotationSets;
  const set = repo.ensure(name, 'alice');
  const importId = repo.addImport({ setId: set.id, imageId, actor: 'alice', sourceName: 'm.geojson', format: 'geojson', units: 'px' });
  const parsed: ParsedAnnotation[] = entries.map((e, i) => ({ where: `feature ${i}`, geometry: e.geometry, className: e.className ?? null, objectType: null, featureId: null, properties: {} }));
  repo.addEntries(set.id, imageId, importId, parsed);
}

const point = (x: number, y: number): SetGeometry => ({ type: 'Point', coordinates: [x, y] });
const run = (o: Partial<MarkerCropsInput> = {}) => markerCrops(store, { imageId, setName: 'expert-a', cropSize: S, ratio: 2, seed: 5, actor: 'alice', ...o });

interface LabelledCrop {
  x: number;
  y: number;
  width: number;
  value: string;
  actor: string;
  payload: { value: string; source?: { kind: string; set: string; setId: number; annotationId?: number; marker?: number } };
}
const labelled = (): LabelledCrop[] =>
  (store.db
    .prepare('SELECT c.x, c.y, c.width, l.value, d.actor, d.payload FROM labels l JOIN crops c ON c.id = l.crop_id JOIN decisions d ON d.id = l.decision_id ORDER BY d.id')
    .all() as Array<Omit<LabelledCrop, 'payload'> & { payload: string }>).map((r) => ({ ...r, payload: JSON.parse(r.payload) as LabelledCrop['payload'] }));

// Markers: one in grid crop (0,0); a MultiPoint of two in crop (512,256); one on the border
// x = 256 of row 256, which touches crops (0,256) and (256,256). The 1024×768 grid has 12 crops,
// so 12 − 1 − 1 − 2 = 8 touch no marker.
const MARKERS = [point(100, 100), { type: 'MultiPoint', coordinates: [[600, 300], [700, 400]] } as SetGeometry, point(256, 500)];
const ALL_POINTS = [[100, 100], [600, 300], [700, 400], [256, 500]] as const;

beforeEach(() => {
  dir = makeTempDir('micra-marker-crops-');
  store = openProjectStore(path.join(dir, 'p'), { create: true });
  imageId = store.images.insertImporting({ name: 'a.tif', width: 1024, height: 768, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null });
  store.images.markReady(imageId);
});

afterEach(() => {
  store.close();
  removeDir(dir);
});

describe('markerCrops', () => {
  it('makes a positive crop holding each marker and negatives that touch none, at the ratio', () => {
    addSet('expert-a', MARKERS.map((geometry) => ({ geometry, className: 'Axon DAB' })));
    const out = run();
    expect(out).toMatchObject({ className: 'Axon DAB', markers: 4, positives: 4, negatives: 8, negativesAvailable: 8, alreadyMade: 0, alreadyLabelled: 0 });
    expect(store.classes.list().map((c) => c.name)).toEqual(['Axon DAB']);
    const crops = labelled();
    const positives = crops.filter((c) => c.value === 'present');
    const negatives = crops.filter((c) => c.value === 'absent');
    expect(positives.length).toBe(4);
    positives.forEach((c, i) => {
      const [mx, my] = ALL_POINTS[i] as readonly [number, number];
      expect(c.width).toBe(S);
      expect(mx >= c.x && mx < c.x + S && my >= c.y && my < c.y + S, `marker ${mx},${my} in crop ${c.x},${c.y}`).toBe(true);
      expect(c.x + S <= 1024 && c.y + S <= 768 && c.x >= 0 && c.y >= 0).toBe(true);
    });
    // The offsets are random, not centred (four markers, none exactly at the centre of its crop).
    expect(positives.some((c, i) => c.x !== (ALL_POINTS[i]?.[0] as number) - S / 2)).toBe(true);
    expect(negatives.map((c) => `${c.x},${c.y}`).sort()).toEqual(['0,512', '256,0', '256,512', '512,0', '512,512', '768,0', '768,256', '768,512']);
    // Provenance: the set, and for a positive the entry and which of its markers.
    const setId = positives[0]?.payload.source?.setId;
    expect(positives.map((c) => [c.actor, c.payload.source?.set, c.payload.source?.marker])).toEqual([['alice', 'expert-a', 0], ['alice', 'expert-a', 0], ['alice', 'expert-a', 1], ['alice', 'expert-a', 0]]);
    expect(new Set(positives.map((c) => c.payload.source?.annotationId)).size).toBe(3);
    expect(negatives.every((c) => c.payload.source?.kind === 'annotation-set' && c.payload.source.setId === setId && c.payload.source.annotationId === undefined)).toBe(true);
  });

  it('samples negatives at the ratio, seeded, and leaves alone what is already made or labelled', () => {
    addSet('expert-a', [{ geometry: point(100, 100) }]);
    // A person's label on a free grid crop stays theirs.
    const bob = store.classes.create('Axon DAB', '#ff0000');
    const image = store.images.get(imageId)!;
    labelCrop(store, image, { x: 768, y: 512, size: S, classId: bob.id, value: 'present', actor: 'bob' });
    const first = run({ ratio: 3 });
    expect(first).toMatchObject({ className: 'Axon DAB', positives: 1, negatives: 3, negativesAvailable: 10 });
    const again = run({ ratio: 3 });
    expect(again).toMatchObject({ positives: 0, negatives: 0, alreadyMade: 1 });
    const crops = labelled();
    expect(crops.length).toBe(5);
    expect(crops.find((c) => c.x === 768 && c.y === 512)).toMatchObject({ value: 'present', actor: 'bob' });

    // The same seed on the same markers makes the same crops.
    const firstRects = crops.filter((c) => c.actor === 'alice').map((c) => `${c.x},${c.y},${c.value}`);
    store.close();
    removeDir(dir);
    dir = makeTempDir('micra-marker-crops-');
    store = openProjectStore(path.join(dir, 'p'), { create: true });
    imageId = store.images.insertImporting({ name: 'a.tif', width: 1024, height: 768, bitsPerSample: 8, channels: 1, tileSize: 512, levels: 2, pixelSizeNm: null, sourcePath: 'a.tif', contentHash: null });
    addSet('expert-a', [{ geometry: point(100, 100) }]);
    const bob2 = store.classes.create('Axon DAB', '#ff0000');
    labelCrop(store, store.images.get(imageId)!, { x: 768, y: 512, size: S, classId: bob2.id, value: 'present', actor: 'bob' });
    run({ ratio: 3 });
    expect(labelled().filter((c) => c.actor === 'alice').map((c) => `${c.x},${c.y},${c.value}`)).toEqual(firstRects);
  });

  it('enter the training set the loader builds', () => {
    addSet('expert-a', MARKERS.map((geometry) => ({ geometry })));
    store.classes.create('Axon DAB', '#ff0000');
    run({ ratio: 1 });
    const { spec, stats } = buildDataset(store, { cropSize: S, puRatio: 0 });
    const labels = spec.items.filter((i) => i.source === 'label');
    expect(labels.length).toBe(8);
    expect(labels.filter((i) => i.targets[0] === 1 && i.weights[0] === 1).length).toBe(4);
    expect(labels.filter((i) => i.targets[0] === 0 && i.weights[0] === 1).length).toBe(4);
    const split = Object.values(stats.classes[0]!.splits).reduce((n, s) => n + s.present + s.absent, 0);
    expect(split).toBe(8);
    expect(spec.images.map((i) => i.id)).toEqual([imageId]);
  });

  it('chooses the class from the set, the project or --class, and refuses an ambiguous one', () => {
    addSet('expert-a', [{ geometry: point(100, 100), className: 'Axon' }, { geometry: point(900, 600), className: 'Dendrite' }, { geometry: point(600, 300) }]);
    expect(() => run()).toThrow(/several classes \(Axon, Dendrite\): choose one with --class/);
    addSet('plain', [{ geometry: point(10, 10) }]);
    expect(() => run({ setName: 'plain' })).toThrow(/no class and the project has none: name one with --class/);
    // --class Dendrite: its marker and the unclassified one; negatives may touch the Axon marker's crop.
    const out = run({ className: 'dendrite', ratio: 10 });
    expect(out).toMatchObject({ className: 'dendrite', positives: 2, negatives: 10, negativesAvailable: 10 });
    // Unclassified markers and a project of one class: that class. The marker's only crop, (0, 0),
    // was just made a negative from the other set: a label already there is never overwritten.
    expect(run({ setName: 'plain' })).toMatchObject({ className: 'dendrite', positives: 0, alreadyLabelled: 1 });
    store.classes.create('Axon', '#00ff00');
    addSet('plain2', [{ geometry: point(10, 10) }]);
    expect(() => run({ setName: 'plain2' })).toThrow(/no class and the project has several/);
    expect(() => run({ setName: 'nobody' })).toThrow(/no annotation set named "nobody"/);
    expect(() => run({ cropSize: 1000 })).toThrow(/smaller than a 1000² crop/);
  });
});
