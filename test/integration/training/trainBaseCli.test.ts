// `micra train --base-model default` on a tiny generated project (two 128² synthetic SEM images,
// 32² crops, one epoch, linear mode): the new model's card names its base (the bundled default:
// name, model row, weights digest), its parent is the default's row, and the layers the mode
// freezes hold exactly the default's weights. BatchNorm running statistics are left out: a
// training forward pass updates them in every block, frozen or not. `--workers 1` reaches the
// run's parameters, and the frozen features are kept in the project's feature store
// (cache/features/<namespace>/) for the next retrain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readF32Array, readF32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';
import { weightsDigest } from '../../../src-main/core/ml/weights/weightsDigest';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import { CROP, REPO, createSemTrainingProject, micra } from './semTrainingProject';

const DEFAULT_MANIFEST = path.join(REPO, 'models', 'default', 'manifest.json');

async function arrays(manifestPath: string): Promise<Map<string, Float32Array>> {
  const manifest = await readF32Manifest(manifestPath);
  const out = new Map<string, Float32Array>();
  for (const key of Object.keys(manifest.arrays)) out.set(key, (await readF32Array(manifest, path.dirname(manifestPath), key)).data);
  return out;
}

describe('micra train --base-model default', () => {
  let tmp: string;
  let projectDir: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-train-base-'));
    projectDir = path.join(tmp, 'project');
    // The default model's class: the base keeps its classes and its head. The top half of both images is labelled.
    await createSemTrainingProject(tmp, projectDir, () => 64);
  }, 60_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('records the base in the card and keeps the frozen layers at the default weights', async () => {
    const lines = (
      await micra(['train', '--project', projectDir, '--base-model', 'default', '--mode', 'linear', '--epochs', '1', '--pu-ratio', '0', '--crop-size', String(CROP), '--batch-size', '4', '--seed', '2', '--workers', '1'])
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['type'])).toEqual(['epoch', 'final']);
    const final = lines[1] as { modelId: number; outcome: string; model: { status: string; parentId: number | null; card: unknown } };
    expect(final.outcome).toBe('completed');
    expect(final.model.status).toBe('ready');

    const card = ModelCardSchema.parse(final.model.card);
    const digest = await weightsDigest(DEFAULT_MANIFEST);
    expect(card.classes).toEqual(['Axon DAB']);
    expect(card.provenance.base).toEqual({
      name: 'Default model (bundled)',
      modelId: final.model.parentId,
      origin: 'bundled',
      sha256: digest,
      classes: ['Axon DAB'],
      newHeadRows: [],
    });
    expect(card.provenance.parent).toBe(String(final.model.parentId));

    // The parent row is the bundled default, and the manifest on disk says the same.
    const app = createNodeApp('serve');
    await app.openProject(projectDir, false);
    try {
      const { store } = app.requireProject();
      const parent = store.models.get(final.model.parentId as number);
      expect(parent).toMatchObject({ origin: 'bundled', status: 'ready' });
      const params = store.db.prepare('SELECT params FROM training_runs WHERE model_id = ?').get(final.modelId) as { params: string };
      expect((JSON.parse(params.params) as { workers?: number }).workers).toBe(1);
      const featureStore = path.join(projectDir, 'cache', 'features');
      const namespaces = fs.readdirSync(featureStore);
      expect(namespaces).toHaveLength(1);
      expect(fs.readdirSync(path.join(featureStore, namespaces[0]!)).filter((f) => f.endsWith('.mfc')).length).toBeGreaterThan(0);
      const modelDir = path.join(projectDir, store.models.get(final.modelId)!.dir);
      const onDisk = (await readF32Manifest(path.join(modelDir, 'manifest.json')))['card'] as { provenance: { base: { sha256: string } } };
      expect(onDisk.provenance.base.sha256).toBe(digest);

      const base = await arrays(DEFAULT_MANIFEST);
      const trained = await arrays(path.join(modelDir, 'manifest.json'));
      let frozen = 0;
      for (const [key, values] of base) {
        if (key.includes('linear') || key.includes('running_')) continue;
        expect(trained.get(key), key).toEqual(values);
        frozen++;
      }
      expect(frozen).toBe(32); // 8 blocks × conv weight, conv bias, BN weight, BN bias
      // The head trained.
      expect(trained.get('weights/linear1.weight')).not.toEqual(base.get('weights/linear1.weight'));
    } finally {
      await app.close();
    }
  }, 300_000);
});
