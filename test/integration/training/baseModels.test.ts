// Bases through MicraApp: training.baseModels offers the bundled default and the project's
// imported and trained models with their classes, provenance and class plan; a base given as
// files is imported once (the CLI's --base-model PATH); a project whose classes differ from the
// default's trains its own classes from the default with a fresh head, and the card says so;
// the base is named once (base or baseModelId, not both).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { importBaseOnce } from '../../../src-main/core/ml/training/baseModelImport';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';
import { weightsDigest } from '../../../src-main/core/ml/weights/weightsDigest';
import { generateSemTile, writeSemTiff } from '../../generators/sem';
import { ask } from '../app/appTestKit';

const REPO = path.resolve(import.meta.dirname, '../../..');
const DEFAULT_MANIFEST = path.join(REPO, 'models', 'default', 'manifest.json');
const CROP = 32;

describe('base models through MicraApp', () => {
  let tmp: string;
  let app: MicraApp;
  let labDir: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-bases-'));
    // A lab's model folder: the default's weights under another name.
    labDir = path.join(tmp, 'lab model');
    fs.mkdirSync(labDir);
    fs.cpSync(path.dirname(DEFAULT_MANIFEST), labDir, { recursive: true });
    app = createNodeApp('serve');
    await app.openProject(path.join(tmp, 'project'), true);
    const classId = (await ask(app, 'classes.create', { name: 'Mito' })).id;
    const tile = generateSemTile({ width: 128, height: 64, seed: 5, markerCount: 2 });
    const file = path.join(tmp, 'sem.tif');
    await writeSemTiff(file, tile);
    const outcome = await app.importFile(file);
    if (!outcome.ok) throw new Error(outcome.error);
    await ask(app, 'dataset.setSplit', { imageId: outcome.image.id, split: 'train' });
    for (let x = 0; x < 128; x += CROP) await ask(app, 'crops.label', { imageId: outcome.image.id, x, y: 0, size: CROP, classId, value: x < 64 ? 'present' : 'absent' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('offers the bundled default first, with its classes, provenance and the class plan', async () => {
    const offers = await ask(app, 'training.baseModels', {});
    const bundled = ModelCardSchema.parse((JSON.parse(fs.readFileSync(DEFAULT_MANIFEST, 'utf8')) as { card: unknown }).card).provenance;
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      choice: { kind: 'default' },
      modelId: null,
      name: 'Default model (bundled)',
      origin: 'bundled',
      classes: ['Axon DAB'],
      inputSize: 256,
      provenance: { backend: bundled.backend, epochs: bundled.epochs, parent: bundled.parent },
      classPlan: { sameClasses: false, classes: ['Mito'], newHeadRows: ['Mito'] },
    });
    expect(offers[0]!.classPlan.message).toMatch(/Classes differ/);
  });

  it('imports a base given as files once, and offers it', async () => {
    const { store } = app.requireProject();
    const first = await importBaseOnce(store, path.join(labDir, 'manifest.json'));
    const again = await importBaseOnce(store, labDir);
    expect(first.imported).toBe(true);
    expect(again).toEqual({ modelId: first.modelId, imported: false });
    const offers = await ask(app, 'training.baseModels', {});
    expect(offers.map((o) => [o.name, o.origin, o.choice])).toEqual([
      ['Default model (bundled)', 'bundled', { kind: 'default' }],
      ['lab model', 'imported', { kind: 'model', id: first.modelId }],
    ]);
    expect(offers[1]!.provenance.importedFrom).toBe(labDir);
    // The model's sweep screen comes with it, file for file.
    const modelDir = path.join(store.dir, store.models.get(first.modelId)!.dir);
    const screenFiles = fs.readdirSync(path.join(labDir, 'screen')).sort();
    expect(screenFiles.length).toBeGreaterThan(1);
    expect(fs.readdirSync(path.join(modelDir, 'screen')).sort()).toEqual(screenFiles);
    for (const f of screenFiles) expect(fs.readFileSync(path.join(modelDir, 'screen', f))).toEqual(fs.readFileSync(path.join(labDir, 'screen', f)));
  });

  it('refuses a base named twice', async () => {
    const out = await dispatchRequest(app.handlers, 'training.start', { epochs: 1, base: { kind: 'default' }, baseModelId: 1 });
    expect(out.ok).toBe(false);
  });

  it("trains the project's classes from the default with a fresh head, and the card says so", async () => {
    const { modelId } = await ask(app, 'training.start', { epochs: 1, puRatio: 0, batchSize: 4, cropSize: CROP, seed: 3, base: { kind: 'default' }, mode: 'linear' });
    const { store } = app.requireProject();
    await new Promise<void>((resolve) => {
      const check = () => (store.models.get(modelId)?.status !== 'training' ? resolve() : setTimeout(check, 200));
      check();
    });
    const model = (await ask(app, 'models.list', {})).find((m) => m.id === modelId)!;
    expect(model.status).toBe('ready');
    const card = ModelCardSchema.parse(model.card);
    expect(card.classes).toEqual(['Mito']);
    expect(card.provenance.base).toMatchObject({ name: 'Default model (bundled)', origin: 'bundled', classes: ['Axon DAB'], newHeadRows: ['Mito'] });
    expect(card.provenance.base?.sha256).toBe(await weightsDigest(DEFAULT_MANIFEST));
    const parent = store.models.get(model.parentId!)!;
    expect(parent.origin).toBe('bundled');
    // The default is registered now: offered once, with its row; the new model is a base too.
    const offers = await ask(app, 'training.baseModels', {});
    expect(offers.filter((o) => o.origin === 'bundled')).toHaveLength(1);
    expect(offers[0]).toMatchObject({ choice: { kind: 'default' }, modelId: parent.id });
    expect(offers.find((o) => o.modelId === modelId)).toMatchObject({ origin: 'trained', classPlan: { sameClasses: true }, provenance: { baseName: 'Default model (bundled)' } });
  }, 300_000);
});
