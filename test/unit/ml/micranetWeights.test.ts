import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMicraNet } from '../../../src-main/core/ml/model/micranet';
import { loadMicraNetWeights, saveMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';
import { completeModelCard } from '../../../src-main/core/ml/weights/modelCard';

const fixtureManifest = path.resolve(import.meta.dirname, '../../../../shared/fixtures/micranet-reference/manifest.json');
const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'micra-weights-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function savedNet(): Promise<{ dir: string; manifest: string }> {
  const net = createMicraNet({ inChannels: 2, numClasses: 3, seed: 11 });
  const card = completeModelCard({ classes: ['a', 'b', 'c'], preprocessing: { invert: true } }, { inChannels: 2, numClasses: 3 });
  const dir = await tmp();
  const manifest = await saveMicraNetWeights(net, card, dir);
  net.dispose();
  return { dir, manifest };
}

describe('MICRA-Net weights', () => {
  it('round-trips every parameter, the card, and the model output', async () => {
    const net = createMicraNet({ inChannels: 2, numClasses: 3, seed: 5 });
    const card = completeModelCard({ classes: ['a', 'b', 'c'], classThresholds: [0.2, 0.4, 0.6] }, { inChannels: 2, numClasses: 3 });
    const dir = await tmp();
    const manifest = await saveMicraNetWeights(net, card, dir);
    const loaded = await loadMicraNetWeights(manifest);
    expect(loaded.card).toEqual(card);
    for (const [name, v] of net.variables) {
      expect(Array.from(loaded.net.variables.get(name)?.dataSync() ?? []), name).toEqual(Array.from(v.dataSync()));
    }
    const x = tf.randomUniform([1, 16, 16, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    expect(Array.from(loaded.net.predict(x).dataSync())).toEqual(Array.from(net.predict(x).dataSync()));
    net.dispose();
    loaded.net.dispose();
  });

  it('stores conv weights as PyTorch [out, in, kh, kw] and linear as [classes, 256]', async () => {
    const net = createMicraNet({ inChannels: 2, numClasses: 3, seed: 7 });
    const dir = await tmp();
    await saveMicraNetWeights(net, completeModelCard(undefined, { inChannels: 2, numClasses: 3 }), dir);
    const json = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(json.arrays['weights/conv1a.weight'].shape).toEqual([32, 2, 3, 3]);
    expect(json.arrays['weights/linear1.weight'].shape).toEqual([3, 256]);
    expect(json.model).toMatchObject({ in_channels: 2, num_classes: 3 });
    const bytes = await readFile(path.join(dir, json.arrays['weights/conv1a.weight'].file));
    const tfW = net.variables.get('conv1a.weight')?.dataSync() as Float32Array; // [3,3,2,32]
    // PyTorch element [o=5, i=1, ky=2, kx=0] is TF element [ky=2, kx=0, i=1, o=5].
    expect(bytes.readFloatLE((((5 * 2 + 1) * 3 + 2) * 3 + 0) * 4)).toBe(tfW[((2 * 3 + 0) * 2 + 1) * 32 + 5]);
    net.dispose();
  });

  it('loads the reference fixture, ignoring its other arrays, with a default card', async () => {
    const { net, card } = await loadMicraNetWeights(fixtureManifest);
    expect(net.inChannels).toBe(1);
    expect(net.numClasses).toBe(1);
    expect(card.inputSize).toBe(256);
    expect(card.classes).toEqual(['class 1']);
    net.dispose();
  });

  it('refuses a truncated weights file with a clear error', async () => {
    const { dir, manifest } = await savedNet();
    await truncate(path.join(dir, 'weights__conv2b.weight.f32'), 100);
    await expect(loadMicraNetWeights(manifest)).rejects.toThrow(/conv2b\.weight.*holds 100 bytes, expected 147456/);
  });

  it('refuses missing arrays, wrong shapes and non-finite values', async () => {
    const { dir, manifest } = await savedNet();
    const json = JSON.parse(await readFile(manifest, 'utf8'));
    const write = (m: unknown): Promise<void> => writeFile(manifest, JSON.stringify(m));

    const missing = structuredClone(json);
    delete missing.arrays['weights/bnorm3a.running_var'];
    await write(missing);
    await expect(loadMicraNetWeights(manifest)).rejects.toThrow(/bnorm3a\.running_var' is missing/);

    const reshaped = structuredClone(json);
    reshaped.arrays['weights/linear1.bias'].shape = [1, 3];
    await write(reshaped);
    await expect(loadMicraNetWeights(manifest)).rejects.toThrow(/linear1\.bias has shape \[1, 3\], expected \[3\]/);

    await write(json);
    const nan = Buffer.alloc(12);
    nan.writeFloatLE(Number.NaN, 4);
    await writeFile(path.join(dir, 'weights__linear1.bias.f32'), nan);
    await expect(loadMicraNetWeights(manifest)).rejects.toThrow(/non-finite/);

    await writeFile(manifest, '{"arrays": 3}');
    await expect(loadMicraNetWeights(manifest)).rejects.toThrow(/malformed/);
  });
});
