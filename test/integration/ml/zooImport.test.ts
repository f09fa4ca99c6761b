// Importing models from zoos of the original MICRA-Net code: HDF5 files written by h5py in the
// original layout (test/generators/zoo) from the reference fixture's weights. The imported
// model must reproduce the fixture's logits and maps (tolerances of the fixture's README), its
// card must carry the zoo's input size, thresholds and origin, and malformed zoos must be
// refused with a message naming the problem and nothing written.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModelsCommand } from '../../../src-main/cli/commands/modelsCommand';
import { gradCamAllBlocks } from '../../../src-main/core/ml/explain/gradcam';
import { pcaMap } from '../../../src-main/core/ml/explain/pcaMap';
import { BLOCK_NAMES } from '../../../src-main/core/ml/model/architecture';
import { createMicraNet } from '../../../src-main/core/ml/model/micranet';
import { emPostprocess, preciseRaw } from '../../../src-main/core/ml/postprocess/emPostprocess';
import { readF32Array, readF32Manifest } from '../../../src-main/core/ml/weights/f32Manifest';
import { loadMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';
import { micranetStateDictShapes } from '../../../src-main/core/ml/weights/micranetStateDict';
import { weightsDigest } from '../../../src-main/core/ml/weights/weightsDigest';
import { importMicraNetZoo, ZooInputError } from '../../../src-main/core/ml/weights/zooImport';
import { writeZooWithH5py, type ZooGroupSpec } from '../../generators/zoo/h5pyZoo';
import { CASES, fixtureArray, fixtureDir, iou, pearson } from './fixtureCases';
import { useBackend } from './tfBackends';

const PARAMS = { num_input_images: 1, num_classes: 1, size: 256, lr: 0.001, epochs: 250 };
/** Two supervision levels, as the EM zoo of the original code holds six. */
const EM_ZOO: ZooGroupSpec[] = [
  { name: 'MICRANet-1:1', trainer_params: PARAMS, class_thresholds: [0.61] },
  { name: 'MICRANet-1:5', trainer_params: PARAMS, class_thresholds: [0.42] },
];

let dir: string;
let zoo: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'micra-zoo-test-'));
  zoo = path.join(dir, 'EMModelZoo.hdf5');
  writeZooWithH5py(fixtureDir, zoo, EM_ZOO);
  await useBackend('wasm');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh output folder that does not exist yet. */
let outCount = 0;
const freshOut = () => path.join(dir, 'out', `model-${++outCount}`);

describe('MICRA-Net state_dict shapes', () => {
  it('are the engine network’s parameters in PyTorch layout', () => {
    const net = createMicraNet({ inChannels: 3, numClasses: 4, seed: 0 });
    try {
      const shapes = micranetStateDictShapes(3, 4);
      expect([...shapes.keys()].sort()).toEqual([...net.variables.keys()].sort());
      for (const [name, v] of net.variables) {
        const torch = name.startsWith('conv') && name.endsWith('.weight') ? [v.shape[3], v.shape[2], v.shape[0], v.shape[1]] : name === 'linear1.weight' ? [v.shape[1], v.shape[0]] : v.shape;
        expect(shapes.get(name), name).toEqual(torch);
      }
    } finally {
      net.dispose();
    }
  });
});

describe('micra models import-zoo', () => {
  it('writes the chosen supervision level as weights + card that reproduce the fixture’s maps', async () => {
    const out = freshOut();
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      expect(await runModelsCommand(['import-zoo', zoo, '--supervision', '1:5', '--out', out])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(result).toMatchObject({
      manifest: path.join(out, 'manifest.json'),
      source: { file: 'EMModelZoo.hdf5', group: 'MICRANet-1:5', model: 'network' },
      classes: ['class 1'],
      classThresholds: [0.42],
      inputSize: 256,
      inChannels: 1,
    });
    expect(result.sha256).toBe(await weightsDigest(path.join(out, 'manifest.json')));
    expect((result.ignored as string[]).every((n) => n.endsWith('.num_batches_tracked'))).toBe(true);
    expect(result.ignored).toHaveLength(8);

    // Every parameter bit for bit; the step counters left out.
    const manifest = await readF32Manifest(path.join(out, 'manifest.json'));
    const fixture = await readF32Manifest(path.join(fixtureDir, 'manifest.json'));
    const weightKeys = Object.keys(fixture.arrays).filter((k) => k.startsWith('weights/'));
    expect(Object.keys(manifest.arrays).sort()).toEqual(weightKeys.sort());
    for (const key of weightKeys) {
      const got = await readF32Array(manifest, out, key);
      const want = await fixtureArray(key);
      expect(got.shape, key).toEqual(want.shape);
      expect(Buffer.from(got.data.buffer).equals(Buffer.from(want.data.buffer)), key).toBe(true);
    }
    const card = manifest['card'] as Record<string, unknown>;
    expect(card).toMatchObject({ inputSize: 256, inChannels: 1, classes: ['class 1'], classThresholds: [0.42] });
    expect((card.provenance as Record<string, unknown>).source).toEqual({
      format: 'micranet-zoo-hdf5',
      file: 'EMModelZoo.hdf5',
      group: 'MICRANet-1:5',
      model: 'network',
      trainerParams: PARAMS,
    });

    // The engine loads it (card and all) and reproduces the reference.
    const { net, card: loadedCard } = await loadMicraNetWeights(path.join(out, 'manifest.json'));
    try {
      expect(loadedCard.classThresholds).toEqual([0.42]);
      for (const c of CASES) {
        const input = await fixtureArray(`case${c}/input`);
        const [h, w] = input.shape as [number, number];
        const refLogit = (await fixtureArray(`case${c}/logit`)).data[0] as number;
        const x = tf.tensor4d(input.data, [1, h, w, 1]);
        const y = net.predict(x);
        const logit = (y.dataSync() as Float32Array)[0] as number;
        y.dispose();
        expect(Math.abs(logit - refLogit), `case ${c} logit`).toBeLessThanOrEqual(1e-3 * Math.abs(refLogit));
        if (c !== 0) {
          x.dispose();
          continue;
        }
        const cam = await gradCamAllBlocks(net, x, 0);
        x.dispose();
        for (const [i, block] of BLOCK_NAMES.entries()) {
          const r = pearson(cam.maps[i] as Float32Array, (await fixtureArray(`case0/gradcam/${block}`)).data);
          expect(r, `gradcam ${block}`).toBeGreaterThanOrEqual(0.999);
        }
        const pca = pcaMap(cam.maps, cam.sizes, w, h);
        expect(pearson(pca.data, (await fixtureArray('case0/pca_map')).data)).toBeGreaterThanOrEqual(0.999);
        const mask = emPostprocess(preciseRaw(pca));
        expect(iou(mask.data, (await fixtureArray('case0/precise_mask')).data)).toBeGreaterThanOrEqual(0.95);
      }
    } finally {
      net.dispose();
    }
  }, 240_000);

  it('takes the only group of a single-model zoo without --supervision; defaults what the zoo leaves out', async () => {
    // The Actin zoo's layout: one group "MICRANet", no class_thresholds; here also float64
    // datasets (a model saved in double precision), a gzip-compressed one, and class names in
    // trainer_params.
    const file = path.join(dir, 'ActinModelZoo.hdf5');
    writeZooWithH5py(fixtureDir, file, [
      {
        name: 'MICRANet',
        trainer_params: { num_classes: 1, size: 128, classes: ['rings'] },
        models: [{ name: 'network', float64: ['conv1a.weight', 'linear1.bias'], compression: { 'conv4b.weight': 'gzip' } }],
      },
    ]);
    const out = freshOut();
    const result = await importMicraNetZoo(file, {}, out);
    expect(result).toMatchObject({ source: { group: 'MICRANet', model: 'network' }, classes: ['rings'], classThresholds: [0.5], inputSize: 128, inChannels: 1 });
    const manifest = await readF32Manifest(result.manifest);
    for (const key of ['weights/conv1a.weight', 'weights/conv4b.weight']) {
      const got = await readF32Array(manifest, out, key);
      expect(Buffer.from(got.data.buffer).equals(Buffer.from((await fixtureArray(key)).data.buffer)), key).toBe(true);
    }
  });

  it('picks a model by name when a group holds several', async () => {
    const file = path.join(dir, 'two-models.hdf5');
    writeZooWithH5py(fixtureDir, file, [{ name: 'MICRANet-1:5', trainer_params: PARAMS, class_thresholds: [0.3], models: [{ name: 'network' }, { name: 'best' }] }]);
    await expect(importMicraNetZoo(file, {}, freshOut())).rejects.toThrow(/several models: best, network; choose one with --model/);
    const result = await importMicraNetZoo(file, { model: 'best' }, freshOut());
    expect(result.source).toEqual({ file: 'two-models.hdf5', group: 'MICRANet-1:5', model: 'best' });
  });
});

describe('refused zoos leave nothing behind', () => {
  /** Runs an import that must fail with `message`, then checks that no file was written. */
  async function refused(file: string, choice: { supervision?: string; model?: string }, message: RegExp): Promise<void> {
    const parent = path.join(dir, 'refused');
    mkdirSync(parent, { recursive: true });
    const before = readdirSync(parent);
    const out = path.join(parent, `model-${++outCount}`);
    const err = await importMicraNetZoo(file, choice, out).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZooInputError);
    expect((err as Error).message).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual(before);
  }

  function zooWith(name: string, groups: ZooGroupSpec[]): string {
    const file = path.join(dir, `${name}.hdf5`);
    writeZooWithH5py(fixtureDir, file, groups);
    return file;
  }
  const one = (model: ZooGroupSpec['models'] extends (infer M)[] | undefined ? M : never, extra: Partial<ZooGroupSpec> = {}): ZooGroupSpec[] => [
    { name: 'MICRANet-1:5', trainer_params: PARAMS, class_thresholds: [0.42], models: [model], ...extra },
  ];

  it('an ambiguous or absent --supervision, listing the groups', async () => {
    await refused(zoo, {}, /several architecture groups: MICRANet-1:1, MICRANet-1:5; choose one with --supervision \(e\.g\. --supervision 1:1\)/);
    await refused(zoo, { supervision: '1:7' }, /no group for supervision '1:7'; its groups: MICRANet-1:1, MICRANet-1:5/);
    await refused(zoo, { supervision: '1:5', model: 'nope' }, /no model 'nope'; its models: network/);
  });

  it('a file that is not HDF5, or missing', async () => {
    const fake = path.join(dir, 'fake.hdf5');
    writeFileSync(fake, 'MICRANet-1:5 but not HDF5 at all');
    await refused(fake, {}, /not an HDF5 file/);
    await refused(path.join(dir, 'missing.hdf5'), {}, /not a readable file/);
  });

  it('a missing, mis-shaped, non-numeric, integer or non-finite parameter', async () => {
    await refused(zooWith('missing', one({ name: 'network', drop: ['conv2a.weight'] })), {}, /\/MICRANet-1:5\/network lacks conv2a\.weight/);
    await refused(zooWith('shape', one({ name: 'network', reshape: { 'conv1b.weight': [32, 32, 3, 2] } })), {}, /conv1b\.weight has shape \[32, 32, 3, 2\], expected \[32, 32, 3, 3\]/);
    await refused(zooWith('string', one({ name: 'network', as_string: ['bnorm3a.bias'] })), {}, /bnorm3a\.bias is not a float32 or float64 dataset/);
    await refused(zooWith('int', one({ name: 'network', as_int: ['linear1.weight'] })), {}, /linear1\.weight is not a float32 or float64 dataset/);
    await refused(zooWith('nan', one({ name: 'network', nan: ['bnorm4b.running_mean'] })), {}, /bnorm4b\.running_mean contains non-finite values/);
    await refused(zooWith('lzf', one({ name: 'network', compression: { 'conv3a.weight': 'lzf' } })), {}, /conv3a\.weight cannot be read: it is compressed with the 'lzf' filter/);
  });

  it('a group that is not a MICRA-Net state_dict', async () => {
    await refused(zooWith('unet', one({ name: 'network', extra: { 'conv_d0ab.weight': [64, 1, 3, 3] } })), {}, /not a MICRA-Net state_dict: unexpected conv_d0ab\.weight/);
  });

  it('missing or malformed trainer_params and class_thresholds', async () => {
    await refused(zooWith('no-params', one({ name: 'network' }, { trainer_params: null })), {}, /has no trainer_params attribute/);
    await refused(zooWith('bad-json', one({ name: 'network' }, { trainer_params: '{"num_classes": 1,' })), {}, /trainer_params of \/MICRANet-1:5 is not valid JSON/);
    await refused(zooWith('bad-size', one({ name: 'network' }, { trainer_params: { ...PARAMS, size: 250 } })), {}, /multiple of 8/);
    // trainer_params that disagree with the weights: the weights' shapes are checked against them.
    await refused(zooWith('rgb', one({ name: 'network' }, { trainer_params: { ...PARAMS, num_input_images: 3 } })), {}, /conv1a\.weight has shape \[32, 1, 3, 3\], expected \[32, 3, 3, 3\]/);
    await refused(zooWith('thr-count', one({ name: 'network' }, { class_thresholds: [0.4, 0.6] })), {}, /has 2 values for 1 classes/);
    await refused(zooWith('thr-range', one({ name: 'network' }, { class_thresholds: [1.5] })), {}, /probabilities in \[0, 1\]/);
  });

  it('an output folder that already holds files', async () => {
    const out = path.join(dir, 'busy');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    await expect(importMicraNetZoo(zoo, { supervision: '1:5' }, out)).rejects.toThrow(/is not empty/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(await readFile(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
